"""Loading a new version of an edited buffer: the documents of each `---` chunk whose text
and place did not change are taken from the last version's parse instead of parsed again
(the language server loads the whole buffer at every keystroke; in a file of many
documents, all chunks but one are as they were).

A chunk is the text from one `---` line to the next. Parsed on its own it gives what the
whole file's parse gives for it (libyaml ends a document at a `---` line whatever comes
before it), as long as it parses: a chunk with a syntax error, a directive (`%YAML`, which
belongs to the next document) or a Go action (the Helm check compares its offsets with
every scalar's) makes the whole text parse as usual. A kept chunk must hold the same
documents (the same first document index). When it starts on the same line, its
documents' nodes keep their offsets into the text they were parsed from
(`NodeInfo.source`), where their lines are the same; when lines were added or removed
above it, its nodes are moved into the new text (a tenth of a parse), unless the loader
reported something in it (a duplicate key's message names a line): then it is parsed again.
"""

from __future__ import annotations

from argolint.load.helm import has_go_action
from argolint.load.loader import _DOCUMENT_MARKER, Document, LimitOptions, LoadedFile, _parse_chunk
from argolint.load.positions import NodeInfo, SourceText


class KeptChunks:
    """The documents and loader diagnostics of each chunk of the text last loaded."""

    def __init__(self):
        # (chunk text, first document index) -> (its offset and first line in the text it was
        # parsed from, what makes its documents, its loader diagnostics)
        self.chunks: dict = {}
        self.limits = None  # what they were parsed with


def parse_reusing(loaded: LoadedFile, text: str, limits: LimitOptions, kept: KeptChunks) -> bool:
    """Fill `loaded` (its source set to `text`) chunk by chunk; False, with `loaded` left
    as it was, when the text must be parsed as a whole."""
    if kept.limits != limits:
        kept.chunks, kept.limits = {}, limits
    if text.startswith("%") or "\n%" in text or ("{{" in text and has_go_action(text)):
        return False  # what is kept stays good for the next version
    bounds = [0] + [m.start() for m in _DOCUMENT_MARKER.finditer(text) if m.start() > 0] + [len(text)]
    source = loaded.source
    documents_before, diagnostics_before = len(loaded.documents), len(loaded.diagnostics)
    now = {}
    for start, end in zip(bounds, bounds[1:]):
        key = (text[start:end], len(loaded.documents))
        line = source.position(start)[0]
        entry = _moved(kept.chunks.get(key), start, line, source)
        if entry is None:
            first, before = len(loaded.documents), len(loaded.diagnostics)
            if _parse_chunk(loaded, key[0], start, limits) is not None:
                del loaded.documents[documents_before:], loaded.diagnostics[diagnostics_before:]
                return False  # (a syntax error is typed and fixed: the other chunks stay kept)
            # what makes the documents, not the documents: they would keep their whole file alive
            parsed = [(doc.index, doc.data, doc.nodes, doc.start_line) for doc in loaded.documents[first:]]
            entry = (start, line, parsed, [d.replace() for d in loaded.diagnostics[before:]])
        else:
            _, _, parsed, diagnostics = entry
            loaded.documents.extend(Document(loaded, *facts) for facts in parsed)
            loaded.diagnostics.extend(d.replace() for d in diagnostics)
        now[key] = entry
    kept.chunks = now
    return True


def _moved(entry, start: int, line: int, source: SourceText):
    """A kept chunk now at offset `start` and line `line` of `source`: as it is when it
    starts on the same line (its nodes' offsets stay those of its own text, where its lines
    are the same), else with its nodes moved into `source`; None when it must be parsed
    again (moved lines, and loader diagnostics, whose messages may name lines)."""
    if entry is None:
        return None
    was_start, was_line, parsed, diagnostics = entry
    if was_line == line:
        return entry
    if diagnostics:
        return None
    by = start - was_start
    moved = [(index, data, _moved_nodes(nodes, by, source), start_line + line - was_line)
             for index, data, nodes, start_line in parsed]
    return start, line, moved, diagnostics


def _moved_nodes(nodes: dict, by: int, source: SourceText) -> dict:
    """The nodes `by` characters further, in `source` (a NodeInfo read through an alias
    under several paths stays one)."""
    made: dict = {}
    moved = {}
    for path, info in nodes.items():
        again = made.get(id(info))
        if again is None:
            key_start = info.key_start
            again = made[id(info)] = NodeInfo(source, None if key_start is None else key_start + by,
                                              None if key_start is None else info.key_end + by,
                                              info.start + by, info.end + by, info.style)
        moved[path] = again
    return moved

