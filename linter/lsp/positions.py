"""Columns between argolint's spans and the language server protocol.

argolint counts 1-based lines and columns in code points, end exclusive. LSP positions are
0-based and count code units of the encoding negotiated at start-up: UTF-16 unless the
client offers UTF-8 or UTF-32. Lines are split on "\\n" only, after the loader's CR
normalisation, which is what LSP's line terminators (\\n, \\r\\n, \\r) amount to.
"""

from __future__ import annotations

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """Length of `text` in code units of `encoding`."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_client(line_text: str, column: int, encoding: str = UTF16) -> int:
    """The LSP character of a 1-based code-point column on a line."""
    return units(line_text[: max(0, column - 1)], encoding)


def from_client(line_text: str, character: int, encoding: str = UTF16) -> int:
    """The 1-based code-point column of an LSP character on a line; a character in the
    middle of a code point (half a surrogate pair) counts as that code point."""
    if encoding == UTF32 or line_text.isascii():
        return min(character, len(line_text)) + 1
    seen = 0
    for index, ch in enumerate(line_text):
        if seen >= character:
            return index + 1
        seen += units(ch, encoding)
    return len(line_text) + 1


def encoding_name(kind) -> str:
    """Our name for an lsprotocol PositionEncodingKind (or its string value)."""
    value = getattr(kind, "value", kind) or UTF16
    return {"utf-8": UTF8, "utf-32": UTF32}.get(str(value).lower(), UTF16)
