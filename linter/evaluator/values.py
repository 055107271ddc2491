"""Values the way Argo's Go code renders them.

Every variable Argo substitutes is a string. Manifest values reach it through Kubernetes'
YAML -> JSON conversion (numbers as Go's encoding/json writes them: `1.0` -> `1`), and
JSON it parses keeps numbers as written (`json.Number`). These helpers reproduce the text
Argo would produce, so substituted commands read exactly as the pod would get them.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from decimal import Decimal
from typing import Any, Optional


class JsonNumber(str):
    """A JSON number kept as written (Go's json.Number): `2.50` stays `2.50`."""

    __slots__ = ()


def _digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of a positive float and its decimal exponent
    (`1.5e-07` -> ("15", -7), meaning 1.5 x 10^-7)."""
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    # Decimal(digits) * 10^exponent; the exponent of the first digit:
    return text, len(digits) + exponent - 1


def _format(value: float, exp_low: int, exp_high: int, exp_width: int) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    digits, exp = _digits(abs(value))
    if exp < exp_low or exp >= exp_high:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{exp_width}d}"
    if exp < 0:
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    whole = digits[:exp + 1].ljust(exp + 1, "0")
    frac = digits[exp + 1:]
    return f"{sign}{whole}" + (f".{frac}" if frac else "")


def go_json_float(value: float) -> str:
    """A float64 as encoding/json writes it (`2.5`, `1`, `1e+21`, `1e-7`)."""
    return _format(value, -6, 21, 1)


def go_sprint_float(value: float) -> str:
    """A float64 as fmt's %v writes it (`2.5`, `1e+06`, `1e-05`)."""
    return _format(value, -4, 6, 2)


def as_text(value: Any) -> Optional[str]:
    """A manifest value as the string Argo sees (None stays None: no value)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_json_float(value)
    return go_json(value)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "<": "\\u003c", ">": "\\u003e",
            "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')


def _escape_char(match) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def _string(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


class GoStruct(dict):
    """A Go struct to encode: its fields keep their declaration order (a map's keys are sorted)."""


def _encode(value: Any, out: list, indent: Optional[str], level: int) -> None:
    if isinstance(value, str):
        out.append(str(value) if isinstance(value, JsonNumber) else _string(value))
    elif value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(go_json_float(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        inner = "\n" + indent * (level + 1) if indent is not None else ""
        for i, key in enumerate(value if isinstance(value, GoStruct) else sorted(value, key=str)):
            if i:
                out.append(",")
            out.append(inner)
            out.append(_string(str(key)))
            out.append(": " if indent is not None else ":")
            _encode(value[key], out, indent, level + 1)
        out.append("\n" + indent * level + "}" if indent is not None else "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        out.append("[")
        inner = "\n" + indent * (level + 1) if indent is not None else ""
        for i, item in enumerate(value):
            if i:
                out.append(",")
            out.append(inner)
            _encode(item, out, indent, level + 1)
        out.append("\n" + indent * level + "]" if indent is not None else "]")
    else:
        out.append(_string(str(value)))


def go_json(value: Any, indent: Optional[int] = None) -> str:
    """json.Marshal (compact; MarshalIndent with `indent` spaces): keys sorted, `<`, `>`,
    `&` escaped as Go escapes them, numbers as Go writes them."""
    out: list = []
    _encode(value, out, " " * indent if indent is not None else None, 0)
    text = "".join(out)
    if "\\u003c" in text:  # keep the dry run's placeholders of unmocked outputs readable
        text = _PLACEHOLDER_ESCAPED.sub(r"<\1>", text)
    return text


_PLACEHOLDER_ESCAPED = re.compile(r"\\u003c([^\"\\<>]*\.outputs\.[^\"\\<>]*)\\u003e")


def parse_json(text: str) -> Any:
    """JSON as Argo's Item parsing reads it: numbers kept as written (JsonNumber)."""
    return json.loads(text, parse_int=JsonNumber, parse_float=JsonNumber,
                      parse_constant=_reject_constant)


def _reject_constant(name):
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


def go_quote(text: str) -> str:
    """strconv.Quote: double quotes, Go escapes for quotes, backslashes and control characters."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\v":
            out.append("\\v")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


class RegexError(ValueError):
    """A regular expression the dry run does not run."""


def checked_regex(pattern: str, text: str = ""):
    """A Go regexp compiled with RE2 (the google-re2 binding), the engine Go's regexp
    follows: the same syntax (no backreferences or lookarounds: refused as Go refuses
    them), `$` only at the very end, and matching in time linear in the text, so no
    pattern (`((a+))+$`) can make the dry run hang. Without the binding, Python's engine
    runs patterns that cannot backtrack exponentially, and refuses the others on texts
    longer than 20 characters."""
    compiled = _compiled(pattern)
    if not _HAS_RE2 and len(text) > 20 and _NESTED_REPEAT.search(pattern):
        raise RegexError(f"regular expression {pattern!r} repeats a repetition; without the google-re2 package the "
                         "dry run matches such patterns only against texts of at most 20 characters")
    return compiled


def regex_search(pattern: str, text: str):
    return checked_regex(pattern, text).search(text)


# a group holding a repetition, itself repeated: `(a+)+`, `(a|aa)*`, `(\w*)+` ...
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*]|\{\d*,\d*\}|\|)(?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\d*\})")

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; kept for odd platforms
    _re2 = None
_HAS_RE2 = _re2 is not None


@lru_cache(maxsize=512)
def _compiled(pattern: str):
    if _re2 is not None:
        options = _re2.Options()
        options.log_errors = False  # RE2 would print each refused pattern to stderr
        try:
            return _re2.compile(pattern, options)
        except _re2.error as exc:
            reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
            raise RegexError(f"error parsing regexp: {reason}: `{pattern}`") from None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RegexError(f"error parsing regexp: {exc}: `{pattern}`") from None
