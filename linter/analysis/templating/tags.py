"""Find `{{...}}` tags in a string the way Argo's fasttemplate scanner does.

Rules (argo-semantics §1.1-§1.2): the text between a `{{` and the *first* following `}}`
is a tag; there is no nesting and no escaping; a `{{` with no later `}}` is an error. A tag
whose content starts with `=` (right after the braces) is an expression tag; any other is a
simple tag, looked up by its content with surrounding whitespace trimmed. If a simple tag's
content itself contains `{{` (`{{workflow.parameters.{{inputs.parameters.p}}}}`), Argo
looks up the part after the last `{{` first and the outer tag is only known after that
substitution: `Tag.inner` is that part, `Tag.nested` is true.

Offsets are character offsets into the scanned string (a scalar's parsed value).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple, Optional


class Tag(NamedTuple):  # tuples: a large manifest holds thousands of tags
    start: int  # offset of `{{`
    end: int  # offset just past `}}`
    content: str  # the raw text between the braces

    @property
    def is_expression(self) -> bool:
        return self.content.startswith("=")

    @property
    def expression(self) -> str:
        """The expr-lang source of an expression tag (after `=`)."""
        return self.content[1:]

    @property
    def expression_start(self) -> int:
        """Offset of the expression's first character in the scanned string."""
        return self.start + 3

    @property
    def nested(self) -> bool:
        return "{{" in self.content

    @property
    def key(self) -> str:
        """The lookup key of a simple tag: its content (the part after the last `{{` for a
        nested tag), whitespace trimmed."""
        return self._looked_up()[1].strip()

    def _looked_up(self) -> tuple[int, str]:
        """The part of the content Argo looks up first (after the last `{{` of a nested
        tag), and its offset in the content."""
        content = self.content
        inner = content.rfind("{{")
        return (inner + 2, content[inner + 2:]) if inner != -1 else (0, content)

    @property
    def key_start(self) -> int:
        """Offset of the key in the scanned string."""
        offset, content = self._looked_up()
        return self.start + 2 + offset + len(content) - len(content.lstrip())

    @property
    def key_end(self) -> int:
        return self.key_start + len(self.key)

    @property
    def text(self) -> str:
        return "{{" + self.content + "}}"


class Scan(NamedTuple):
    """The tags of a string, and the offset of an unclosed `{{` (None if all are closed)."""

    tags: tuple
    unclosed: Optional[int] = None


_EMPTY = Scan(())
# Tag(...) and Scan(...) with every field given, without a NamedTuple's Python-level __new__
_new_tag = partial(tuple.__new__, Tag)
_new_scan = partial(tuple.__new__, Scan)


# Scans are cached by text (a manifest repeats the same strings, and every rule asks), in a
# cache bounded by the bytes of the texts it keeps: an editor sending a 200 KB scalar on
# each keystroke must not grow the language server by the scalar's size per edit. The
# oldest entries go first; the language server empties it when a document closes.
MAX_SCAN_CACHE_BYTES = 32 << 20
_ENTRY_OVERHEAD = 200  # bytes of dict slot, Scan and Tag tuples, roughly
_scans: dict = {}
_scan_bytes = 0


def scan(text: str) -> Scan:
    """The tags of `text`, in order."""
    found = _scans.get(text)
    if found is not None:
        return found
    if "{{" not in text:
        return _EMPTY
    found = _scan(text)
    _remember(text, found)
    return found


def _remember(text: str, found: Scan) -> None:
    global _scan_bytes
    _scans[text] = found
    _scan_bytes += len(text) + _ENTRY_OVERHEAD
    while _scan_bytes > MAX_SCAN_CACHE_BYTES and _scans:
        try:
            oldest = next(iter(_scans))
            del _scans[oldest]
        except (RuntimeError, KeyError, StopIteration):  # another thread changed it meanwhile
            continue
        _scan_bytes -= len(oldest) + _ENTRY_OVERHEAD


def release_scans() -> None:
    """Forget every cached scan (the language server, when a document closes)."""
    global _scan_bytes
    _scans.clear()
    _scan_bytes = 0


def cached_scan_bytes() -> int:
    return _scan_bytes


def _scan(text: str) -> Scan:
    find = text.find
    i = find("{{")
    tags = []
    while i != -1:
        close = find("}}", i + 2)
        if close == -1:
            return _new_scan((tuple(tags), i))
        tags.append(_new_tag((i, close + 2, text[i + 2:close])))
        i = find("{{", close + 2)
    return _new_scan((tuple(tags), None))
