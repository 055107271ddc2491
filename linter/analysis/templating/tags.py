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

from functools import lru_cache, partial
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


@lru_cache(maxsize=65536)
def scan(text: str) -> Scan:
    """The tags of `text`, in order."""
    find = text.find
    i = find("{{")
    if i == -1:
        return _EMPTY
    tags = []
    while i != -1:
        close = find("}}", i + 2)
        if close == -1:
            return _new_scan((tuple(tags), i))
        tags.append(_new_tag((i, close + 2, text[i + 2:close])))
        i = find("{{", close + 2)
    return _new_scan((tuple(tags), None))
