"""The sprig functions Argo's expressions reach as `sprig.<name>(...)` (Masterminds/sprig v3).

Arguments come in sprig's order (the subject last: `sprig.trimPrefix('v', x)`). Like sprig,
conversions do not fail (`sprig.int('abc')` is 0). Functions whose result depends on the
clock or on chance return a fixed, visible placeholder so runs stay reproducible; the few
sprig functions not listed here fail with a message naming them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import os
import re
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from argolint.evaluator.exprfuncs import go_split
from argolint.evaluator.exprlang import (MAX_ITEMS, MAX_STRING, ExprError, check_list, check_string, from_json_text,
                                         is_int, is_number, parse_duration, sprint, to_plain, type_name, wrap_int)
from argolint.evaluator.values import RegexError, checked_regex, go_json, go_quote


def _str(value) -> str:
    """sprig's strval."""
    if isinstance(value, str):
        return value
    if value is None:
        return "<nil>"
    return sprint(value)


def _to_int(value) -> int:
    """cast.ToInt64: numbers, numeric strings and booleans; anything else 0."""
    if isinstance(value, bool):
        return int(value)
    if is_int(value):
        return value
    if isinstance(value, float):
        return wrap_int(int(value)) if math.isfinite(value) else 0
    if isinstance(value, str):
        text = value.strip()
        try:
            return wrap_int(int(text, 0)) if text else 0
        except ValueError:
            try:
                return wrap_int(int(float(text)))
            except (ValueError, OverflowError):
                return 0
    return 0


def _to_float(value) -> float:
    if isinstance(value, bool):
        return float(value)
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip()) if "_" not in value else 0.0
        except ValueError:
            return 0.0
    return 0.0


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return not value
    if is_number(value):
        return value == 0
    if isinstance(value, (str, list)) or isinstance(value, Mapping):
        return len(value) == 0
    return False


def _list(value, name) -> list:
    if isinstance(value, list):
        return value
    if value is None:
        return []
    raise ExprError(f"sprig.{name}: cannot find {name} on type {type_name(value)}")


def _regex(pattern: str, text: str):
    try:
        return checked_regex(pattern, text)
    except RegexError as exc:
        raise ExprError(str(exc)) from None


_GO_TEMPLATE_PART = re.compile(r"\$(?:\$|\{(\w+)\}|(\w+))")


def _go_expand(template: str):
    """A function building regexp.Expand's text for a match: `$1`, `${1}`, `$name`,
    `${name}` are the group (the longest run of letters, digits and `_` is the name, so
    `$1x` is the group named `1x`); a group that does not exist is empty; `$$` is `$`."""
    def expand(match) -> str:
        def group(name: str) -> str:
            try:
                value = match.group(int(name) if name.isdigit() else name)
            except (IndexError, ValueError, KeyError):
                return ""
            return value or ""

        def part(found) -> str:
            return "$" if found.group() == "$$" else group(found.group(1) or found.group(2))

        return _GO_TEMPLATE_PART.sub(part, template)
    return expand


def _indent(spaces, text) -> str:
    width, text = max(0, _to_int(spaces)), _str(text)
    _check_length("indent", len(text) + width * (text.count("\n") + 1))
    pad = " " * width
    return pad + text.replace("\n", "\n" + pad)


def _replace(old, new, text) -> str:
    old, new, text = _str(old), _str(new), _str(text)
    _check_length("replace", len(text) + text.count(old) * (len(new) - len(old)) if old else
                  len(text) + (len(text) + 1) * len(new))
    return text.replace(old, new)


def _uniq(items) -> list:
    """Items in order without repeats (reflect.DeepEqual: 1 and 1.0 differ), in linear time."""
    seen, out = set(), []
    for item in _list(items, "uniq"):
        key = (type(item).__name__, go_json(item) if isinstance(item, (dict, list)) else item)
        try:
            fresh = key not in seen
        except TypeError:  # an unhashable value of another kind: compare it as text
            key = (key[0], repr(item))
            fresh = key not in seen
        if fresh:
            seen.add(key)
            out.append(item)
    return out


def _slice(items: list, *bounds) -> list:
    """sprig's slice: list[start:end] (only the first two bounds count); out of range is Go's panic."""
    start = _to_int(bounds[0]) if bounds else 0
    end = _to_int(bounds[1]) if len(bounds) > 1 else len(items)
    if not 0 <= start <= end <= len(items):
        raise ExprError(f"sprig.slice: slice bounds out of range [{start}:{end}] with length {len(items)}")
    return items[start:end]


def _until(start, stop, step) -> list:
    start, stop, step = _to_int(start), _to_int(stop), _to_int(step)
    if step == 0 or (stop - start) * step < 0:
        return []
    _check_count("until", (abs(stop - start) + abs(step) - 1) // abs(step))
    return list(range(start, stop, step))


def _check_count(name: str, count: int) -> None:
    if count > MAX_ITEMS:
        raise ExprError(f"sprig.{name}: {count} items is over the dry run's limit of {MAX_ITEMS}")


def _check_length(name: str, length: int) -> None:
    """Refuse a string before it is built: `indent(1e9, s)` would take gigabytes first."""
    if length > MAX_STRING:
        raise ExprError(f"sprig.{name}: a string of {length} characters is over the dry run's limit of {MAX_STRING}")


def _snake(text: str) -> str:
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return re.sub(r"[-\s]+", "_", text).lower()


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\s-]+", text) if part)


def _split_map(parts: list) -> dict:
    return {f"_{i}": p for i, p in enumerate(parts)}


def _dict(*args) -> dict:
    out = {}
    for i in range(0, len(args) - 1, 2):
        out[_str(args[i])] = args[i + 1]
    if len(args) % 2:
        out[_str(args[-1])] = ""
    return out


def _get(obj, key):
    if isinstance(obj, Mapping):
        value = obj.get(_str(key))
        return "" if value is None and _str(key) not in obj else value
    return ""


def _placeholder(name):
    return lambda *args: f"<sprig.{name}>"


def _seq(*args) -> list:
    nums = [_to_int(a) for a in args]
    if len(nums) == 1:
        start, step, end = 1, 1, nums[0]
    elif len(nums) == 2:
        start, end = nums
        step = 1 if end >= start else -1
    elif len(nums) == 3:
        start, step, end = nums
    else:
        return []
    if step == 0 or (end - start) * step < 0:
        return []
    numbers = range(start, end + (1 if step > 0 else -1), step)
    _check_count("seq", (abs(end - start) // abs(step)) + 1)  # before building a billion of them
    return [str(v) for v in numbers]


def _b64dec(text):
    try:
        return base64.b64decode(_str(text)).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        return str(exc)


def _b32dec(text):
    try:
        return base64.b32decode(_str(text)).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        return str(exc)


def _from_json(text):
    try:
        return from_json_text(_str(text))
    except ExprError:
        return ""


def _abbrev(width, text):
    width, text = _to_int(width), _str(text)
    if width < 4 or len(text) <= width:
        return text
    return text[:width - 3] + "..."


def _substr(start, end, text):
    start, end, text = _to_int(start), _to_int(end), _str(text)
    if start < 0:
        return text[:end]
    if end < 0 or end > len(text):
        return text[start:]
    return text[start:end]


def _trunc(n, text):
    n, text = _to_int(n), _str(text)
    if n < 0:
        return text[max(0, len(text) + n):]
    return text[:n]


def _wrap(width, text):
    import textwrap

    return "\n".join(textwrap.wrap(_str(text), max(1, _to_int(width)), break_long_words=False))


def _max(*values):
    ints = [_to_int(v) for v in values]
    return max(ints) if ints else 0


def _min(*values):
    ints = [_to_int(v) for v in values]
    return min(ints) if ints else 0


def _div(a, b):
    b = _to_int(b)
    if b == 0:
        raise ExprError("sprig.div: integer divide by zero")
    a = _to_int(a)
    return int(a / b)


def _mod(a, b):
    b = _to_int(b)
    if b == 0:
        raise ExprError("sprig.mod: integer divide by zero")
    return int(math.fmod(_to_int(a), b))


def _round(value, places, half=0.5):
    value, places = _to_float(value), _to_int(places)
    factor = math.inf if places > 308 else 0.0 if places < -324 else 10.0 ** places  # Go's math.Pow10
    shifted = value * factor
    if not math.isfinite(shifted) or factor == 0:  # Go: math.Floor(±Inf) is ±Inf; x/Inf is 0, Inf/Inf NaN
        return shifted / factor if factor else math.nan
    return math.floor(shifted + _to_float(half)) / factor if shifted >= 0 else \
        -math.floor(-shifted + _to_float(half)) / factor


def _repeat(count, text):
    count, text = _to_int(count), _str(text)
    if count < 0 or count * len(text) > MAX_STRING:
        raise ExprError("sprig.repeat: over the dry run's string limit")
    return text * count


def _join(sep, items):
    if isinstance(items, list):
        return check_string(_str(sep).join(_str(x) for x in items if x is not None))
    return _str(items)


def _date(fmt, moment=None):
    if not isinstance(moment, datetime):
        return _str(moment)
    from argolint.evaluator.exprlang import _go_layout

    return moment.strftime(_go_layout(_str(fmt)))


_SIMPLE = {
    # strings
    "trim": lambda s: _str(s).strip(),
    "trimAll": lambda chars, s: _str(s).strip(_str(chars)),
    "trimall": lambda chars, s: _str(s).strip(_str(chars)),
    "trimPrefix": lambda p, s: _str(s).removeprefix(_str(p)),
    "trimSuffix": lambda p, s: _str(s).removesuffix(_str(p)),
    "upper": lambda s: _str(s).upper(),
    "lower": lambda s: _str(s).lower(),
    "title": lambda s: re.sub(r"(^|\s)(\S)", lambda m: m.group(1) + m.group(2).upper(), _str(s)),
    "untitle": lambda s: re.sub(r"(^|\s)(\S)", lambda m: m.group(1) + m.group(2).lower(), _str(s)),
    "swapcase": lambda s: _str(s).swapcase(),
    "replace": _replace,
    "repeat": _repeat,
    "substr": _substr,
    "trunc": _trunc,
    "abbrev": _abbrev,
    "nospace": lambda s: re.sub(r"\s", "", _str(s)),
    "initials": lambda s: "".join(w[0] for w in _str(s).split()),
    "contains": lambda sub, s: _str(sub) in _str(s),
    "hasPrefix": lambda p, s: _str(s).startswith(_str(p)),
    "hasSuffix": lambda p, s: _str(s).endswith(_str(p)),
    "quote": lambda *xs: " ".join(go_quote(_str(x)) for x in xs if x is not None),
    "squote": lambda *xs: " ".join(f"'{_str(x)}'" for x in xs if x is not None),
    "cat": lambda *xs: " ".join(_str(x) for x in xs if x is not None),
    "indent": _indent,
    "nindent": lambda n, s: "\n" + _indent(n, s),
    "wrap": _wrap,
    "plural": lambda one, many, n: _str(one) if _to_int(n) == 1 else _str(many),
    "snakecase": lambda s: _snake(_str(s)),
    "camelcase": lambda s: _camel(_str(s)),
    "kebabcase": lambda s: _snake(_str(s)).replace("_", "-"),
    "split": lambda sep, s: _split_map(go_split(_str(s), _str(sep))),
    "splitList": lambda sep, s: go_split(_str(s), _str(sep)),
    "splitn": lambda sep, n, s: _split_map(go_split(_str(s), _str(sep), _to_int(n))),
    "join": _join,
    "toString": _str,
    "toStrings": lambda items: [_str(x) for x in _list(items, "toStrings")],
    # conversions and math
    "atoi": lambda s: _to_int(s) if re.fullmatch(r"[+-]?\d+", _str(s)) else 0,
    "int": _to_int,
    "int64": _to_int,
    "float64": _to_float,
    "toDecimal": lambda s: _to_int(int(_str(s), 8)) if re.fullmatch(r"[0-7]+", _str(s)) else 0,
    "add": lambda *xs: wrap_int(sum(_to_int(x) for x in xs)),
    "add1": lambda x: wrap_int(_to_int(x) + 1),
    "sub": lambda a, b: wrap_int(_to_int(a) - _to_int(b)),
    "mul": lambda *xs: wrap_int(math.prod(_to_int(x) for x in xs)),
    "div": _div,
    "mod": _mod,
    "max": _max,
    "min": _min,
    "biggest": _max,
    "addf": lambda *xs: sum(_to_float(x) for x in xs),
    "add1f": lambda x: _to_float(x) + 1,
    "subf": lambda a, *bs: _to_float(a) - sum(_to_float(b) for b in bs),
    "mulf": lambda *xs: math.prod(_to_float(x) for x in xs),
    "divf": lambda a, *bs: _divf(a, bs),
    "maxf": lambda *xs: max(_to_float(x) for x in xs),
    "minf": lambda *xs: min(_to_float(x) for x in xs),
    "ceil": lambda x: float(math.ceil(_to_float(x))),
    "floor": lambda x: float(math.floor(_to_float(x))),
    "round": _round,
    "seq": _seq,
    "until": lambda n: _until(0, n, 1 if _to_int(n) >= 0 else -1),
    "untilStep": _until,
    # defaults and flow
    "default": lambda d, *given: d if not given or _empty(given[0]) else given[0],
    "empty": _empty,
    "coalesce": lambda *xs: next((x for x in xs if not _empty(x)), None),
    "ternary": lambda a, b, cond: a if cond is True else b,
    "fail": lambda msg: (_ for _ in ()).throw(ExprError(_str(msg))),
    # encodings
    "b64enc": lambda s: base64.b64encode(_str(s).encode()).decode(),
    "b64dec": _b64dec,
    "b32enc": lambda s: base64.b32encode(_str(s).encode()).decode(),
    "b32dec": _b32dec,
    "toJson": lambda v: go_json(to_plain(v)),
    "mustToJson": lambda v: go_json(to_plain(v)),
    "toRawJson": lambda v: go_json(to_plain(v)).replace("\\u003c", "<").replace("\\u003e", ">")
    .replace("\\u0026", "&"),
    "mustToRawJson": lambda v: go_json(to_plain(v)).replace("\\u003c", "<").replace("\\u003e", ">")
    .replace("\\u0026", "&"),
    "toPrettyJson": lambda v: go_json(to_plain(v), indent=2),
    "mustToPrettyJson": lambda v: go_json(to_plain(v), indent=2),
    "fromJson": _from_json,
    "mustFromJson": lambda s: from_json_text(_str(s)),
    "sha1sum": lambda s: hashlib.sha1(_str(s).encode()).hexdigest(),
    "sha256sum": lambda s: hashlib.sha256(_str(s).encode()).hexdigest(),
    "sha512sum": lambda s: hashlib.sha512(_str(s).encode()).hexdigest(),
    "adler32sum": lambda s: str(zlib.adler32(_str(s).encode())),
    # regular expressions
    "regexMatch": lambda pattern, s: _regex(_str(pattern), _str(s)).search(_str(s)) is not None,
    "mustRegexMatch": lambda pattern, s: _regex(_str(pattern), _str(s)).search(_str(s)) is not None,
    "regexFind": lambda pattern, s: (m.group() if (m := _regex(_str(pattern), _str(s)).search(_str(s))) else ""),
    "regexFindAll": lambda pattern, s, n: [m.group() for m in _regex(_str(pattern), _str(s)).finditer(_str(s))][
        :(_to_int(n) if _to_int(n) >= 0 else None)],
    "regexReplaceAll": lambda pattern, s, repl: _regex(_str(pattern), _str(s)).sub(_go_expand(_str(repl)),
                                                                                 _str(s)),
    "regexReplaceAllLiteral": lambda pattern, s, repl: _regex(_str(pattern), _str(s)).sub(lambda m: _str(repl),
                                                                                        _str(s)),
    "regexSplit": lambda pattern, s, n: _regex(_str(pattern), _str(s)).split(
        _str(s), maxsplit=max(0, _to_int(n) - 1)) if _to_int(n) > 0 else _regex(_str(pattern), _str(s)).split(_str(s)),
    "regexQuoteMeta": lambda s: re.escape(_str(s)),
    # paths
    "base": lambda p: os.path.basename(_str(p).rstrip("/")) or ("/" if _str(p).startswith("/") else "."),
    "dir": lambda p: os.path.dirname(_str(p)) or ".",
    "ext": lambda p: os.path.splitext(_str(p))[1],
    "clean": lambda p: os.path.normpath(_str(p)) if _str(p) else ".",
    "isAbs": lambda p: _str(p).startswith("/"),
    # lists and dicts
    "list": lambda *xs: list(xs),
    "tuple": lambda *xs: list(xs),
    "dict": _dict,
    "first": lambda xs: (_list(xs, "first") or [None])[0],
    "mustFirst": lambda xs: (_list(xs, "first") or [None])[0],
    "last": lambda xs: (_list(xs, "last") or [None])[-1],
    "mustLast": lambda xs: (_list(xs, "last") or [None])[-1],
    "rest": lambda xs: _list(xs, "rest")[1:],
    "initial": lambda xs: _list(xs, "initial")[:-1],
    "append": lambda xs, v: check_list(_list(xs, "append") + [v]),
    "push": lambda xs, v: check_list(_list(xs, "push") + [v]),
    "prepend": lambda xs, v: check_list([v] + _list(xs, "prepend")),
    "reverse": lambda xs: list(reversed(_list(xs, "reverse"))),
    "uniq": _uniq,
    "compact": lambda xs: [x for x in _list(xs, "compact") if not _empty(x)],
    "without": lambda xs, *vs: [x for x in _list(xs, "without") if x not in vs],
    "has": lambda needle, xs: needle in _list(xs, "has"),
    "concat": lambda *lists: check_list([x for xs in lists for x in _list(xs, "concat")]),
    "slice": lambda xs, *bounds: _slice(_list(xs, "slice"), *bounds),
    "hasKey": lambda d, k: isinstance(d, Mapping) and _str(k) in d,
    "get": _get,
    "set": lambda d, k, v: {**(d if isinstance(d, Mapping) else {}), _str(k): v},
    "unset": lambda d, k: {key: val for key, val in (d.items() if isinstance(d, Mapping) else ()) if key != _str(k)},
    "keys": lambda *ds: sorted(k for d in ds if isinstance(d, Mapping) for k in d),
    "values": lambda d: [d[k] for k in sorted(d)] if isinstance(d, Mapping) else [],
    "pluck": lambda k, *ds: [d[_str(k)] for d in ds if isinstance(d, Mapping) and _str(k) in d],
    "pick": lambda d, *ks: {k: d[k] for k in map(_str, ks) if isinstance(d, Mapping) and k in d},
    "omit": lambda d, *ks: {k: v for k, v in (d.items() if isinstance(d, Mapping) else ()) if k not in map(_str, ks)},
    "merge": lambda dst, *srcs: _merge(dst, srcs, overwrite=False),
    "mergeOverwrite": lambda dst, *srcs: _merge(dst, srcs, overwrite=True),
    "dig": lambda *args: _dig(args),
    "chunk": lambda size, xs: [_list(xs, "chunk")[i:i + max(1, _to_int(size))]
                               for i in range(0, len(_list(xs, "chunk")), max(1, _to_int(size)))],
    # types
    "typeOf": lambda v: type_name(v),
    "kindOf": lambda v: _kind(v),
    "kindIs": lambda kind, v: _kind(v) == _str(kind),
    "typeIs": lambda t, v: type_name(v) == _str(t),
    "deepEqual": lambda a, b: a == b,
    # time (the simulated clock) and chance (fixed placeholders)
    "duration": lambda s: str(_to_int(s)) + "s",
    "durationRound": lambda s: _str(s),
    "randAlphaNum": _placeholder("randAlphaNum"),
    "randAlpha": _placeholder("randAlpha"),
    "randAscii": _placeholder("randAscii"),
    "randNumeric": _placeholder("randNumeric"),
    "randBytes": _placeholder("randBytes"),
    "randInt": lambda a, b: _to_int(a),
    "uuidv4": _placeholder("uuidv4"),
    "shuffle": lambda s: _str(s),
}


def _divf(a, bs):
    value = _to_float(a)
    for b in bs:
        b = _to_float(b)
        value = value / b if b else math.copysign(math.inf, value) if value else math.nan
    return value


def _merge(dst, srcs, overwrite):
    out = dict(dst) if isinstance(dst, Mapping) else {}
    for src in srcs:
        if isinstance(src, Mapping):
            for k, v in src.items():
                if overwrite or k not in out:
                    out[k] = v
    return out


def _dig(args):
    if len(args) < 3:
        raise ExprError("sprig.dig needs keys, a default and a map")
    *keys, default, obj = args
    for key in keys:
        if not isinstance(obj, Mapping) or _str(key) not in obj:
            return default
        obj = obj[_str(key)]
    return obj


def _kind(value) -> str:
    if value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "slice"
    if isinstance(value, Mapping):
        return "map"
    return "struct"


def call_sprig(name: str, args: list, now: datetime) -> Any:
    """sprig.<name>(args...): its value, or ExprError (never another exception: bad input to
    a function is the expression's error, as sprig's panics are Argo's)."""
    try:
        return _call(name, args, now)
    except TypeError as exc:
        raise ExprError(f"sprig.{name}: wrong number of arguments ({len(args)})") from exc
    except (ValueError, OverflowError, ArithmeticError, IndexError, KeyError, re.error) as exc:
        raise ExprError(f"sprig.{name}: {exc}") from None


def _call(name: str, args: list, now: datetime) -> Any:
    if name == "now":
        return now
    if name == "date":
        return _date(*args)
    if name in ("toDate", "mustToDate"):
        from argolint.evaluator.exprlang import parse_date

        return parse_date(_str(args[1]), _str(args[0])) if len(args) == 2 else now
    if name == "ago":
        return "0s"
    if name == "unixEpoch":
        return str(int(args[0].timestamp())) if args and isinstance(args[0], datetime) else str(int(now.timestamp()))
    if name == "durationParse":
        return parse_duration(_str(args[0]))
    function = _SIMPLE.get(name)
    if function is None:
        from argolint.analysis.templating.functions import SPRIG

        if name in SPRIG:
            raise ExprError(f"sprig.{name} is not supported by the dry run")
        raise ExprError(f"sprig has no function '{name}'")
    return function(*args)
