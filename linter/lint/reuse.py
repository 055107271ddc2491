"""The findings of the documents an edit did not touch, kept from one lint of a buffer to
the next (the language server re-lints the whole buffer at every keystroke; in a file of
many documents, all but one are the same as before).

What a document's findings (the engine's `lint_document`, before the configuration's
filters and the suppressions, which are applied to the whole file every time) depend on:

- its own text, including the `---` line, directives and comments above it, and its
  index in the file (diagnostics name it);
- its first line: findings point at lines, and some messages name one ("the first is on
  line 12"). Findings made at another first line are reused only when there are none:
  a document without findings has none wherever it sits;
- the configuration (the same object: the workspace keeps one per folder until a
  configuration file changes);
- the project index, through which rules look across documents (templateRef, the RBAC
  model): every WorkflowTemplate, ClusterWorkflowTemplate, RBAC and ConfigMap document of
  this file (its text, index and first line) and of the other files (the same parsed
  objects: the workspace parses a file again only when it changed).

When the configuration or the index differ from the last lint's, nothing is reused.
"""

from __future__ import annotations

from typing import Optional

from argolint.analysis.project import Project
from argolint.load.loader import Document, LoadedFile

# Lines above a document's first content line that still belong to its start: the `---`
# marker (which may carry a tag or anchor), directives, comments, blank lines.
_PREAMBLE = ("---", "...", "%", "#")


def document_keys(loaded: LoadedFile) -> Optional[list]:
    """Per document of `loaded`: (index, text from its preamble up to the next document's
    first line). None when the documents' first lines do not follow each other (a file
    the loader read in pieces after an error, say): such a file is always linted whole."""
    documents = loaded.documents
    lines = [d.start_line for d in documents]
    if any(b <= a for a, b in zip(lines, lines[1:])):
        return None
    source = loaded.source
    text, starts = source.text, source.line_starts
    keys = []
    for i, first in enumerate(lines):
        begin = first
        if i == 0:
            begin = 1
        else:
            while begin - 1 > lines[i - 1] and _is_preamble(source.line_text(begin - 1)):
                begin -= 1
        end = starts[lines[i + 1] - 1] if i + 1 < len(lines) else len(text)
        keys.append((i, text[starts[begin - 1]:end]))
    return keys


def _is_preamble(line: str) -> bool:
    return not line.strip() or line.startswith(_PREAMBLE)


class DocumentMemo:
    """The findings of one buffer's documents at its last lint, reused by the next lint of
    the same buffer for the documents whose key and surroundings are unchanged."""

    def __init__(self):
        self._against: Optional[tuple] = None  # (config, facts of the index) of the kept findings
        self._held: list = []  # the other files' indexed documents named in `_against` by id
        self._kept: dict = {}  # document key -> (first line, diagnostics)
        self._loaded: Optional[LoadedFile] = None
        self._keys: Optional[list] = None
        self._used: dict = {}

    def begin(self, project: Project, loaded: LoadedFile, config) -> None:
        """Before a lint of `loaded` (the buffer, already in `project`)."""
        self._loaded = loaded
        self._keys = document_keys(loaded)
        facts, held = self._index_facts(project, loaded)
        against = (id(config), facts)
        if self._keys is None or against != self._against:
            self._kept = {}
        else:  # what a cancelled lint got done still holds
            self._kept.update(self._used)
        self._against, self._held = against, held + [config]
        self._used = {}

    def _index_facts(self, project: Project, loaded: LoadedFile) -> tuple[tuple, list]:
        facts, held = [], []
        keys = self._keys
        for table in (project.workflow_templates, project.cluster_workflow_templates, project.by_kind):
            for name, documents in table.items():
                facts.append(name)
                for doc in documents:
                    if doc.file is loaded:
                        facts.append((keys[doc.index] if keys is not None else None, doc.start_line))
                    else:
                        held.append(doc)
                        facts.append(id(doc))
            facts.append(None)
        return tuple(facts), held

    def findings(self, doc: Document) -> Optional[list]:
        """Copies of the findings of `doc` kept from an earlier lint, if they still hold."""
        key = self._key(doc)
        if key is None:
            return None
        kept = self._kept.get(key)
        if kept is None or (kept[0] != doc.start_line and kept[1]):
            return None
        self._used[key] = kept
        return [d.replace() for d in kept[1]]

    def keep(self, doc: Document, diagnostics: list) -> None:
        """Remember the findings just made for `doc` (copies: the engine sets severities)."""
        key = self._key(doc)
        if key is not None:
            self._used[key] = (doc.start_line, [d.replace() for d in diagnostics])

    def finish(self) -> None:
        """After a whole lint: keep only what this version of the buffer used."""
        self._kept, self._used = self._used, {}
        self._loaded = self._keys = None

    def _key(self, doc: Document) -> Optional[tuple]:
        if doc.file is not self._loaded or self._keys is None:
            return None
        return self._keys[doc.index]
