"""expr-lang's built-in functions and Argo's additions (`asInt`, `asFloat`, `toJson`,
`jsonpath`), by name, for `argolint.evaluator.exprlang`. Predicates (`filter(xs, # > 1)`)
get their closure unevaluated; every other function gets plain values."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Callable

from argolint.evaluator.exprlang import (MAX_STRING, ExprError, _add, atoi, check_list, check_string,
                                         equal, from_json_text, is_int, is_number, parse_date, parse_duration,
                                         parse_float, sprint, to_plain, truth, type_name, wrap_int, _INT_MIN)
from argolint.evaluator.values import go_json

FUNCTIONS: dict[str, Callable] = {}


def _plain_function(*names):
    """A built-in whose arguments are all plain values."""
    def register(fn):
        def call(interp, args, frame):
            return fn(interp, *[interp.eval(a, frame) for a in args])
        for name in names:
            FUNCTIONS[name] = call
        return fn
    return register


def _collection(value, name):
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        return [value[k] for k in sorted(value, key=str)]
    raise ExprError(f"{name}() expects an array, got {type_name(value)}")


def _predicate_builtin(name):
    def call(interp, args, frame):
        items = _collection(interp.eval(args[0], frame), name)
        closure = args[1] if len(args) > 1 else None

        def test(i, item):
            return truth(interp.run_predicate(closure, frame, item, i), name)

        if name == "all":
            return all(test(i, x) for i, x in enumerate(items))
        if name == "any":
            return any(test(i, x) for i, x in enumerate(items))
        if name == "none":
            return not any(test(i, x) for i, x in enumerate(items))
        if name == "one":
            return sum(1 for i, x in enumerate(items) if test(i, x)) == 1
        if name == "filter":
            return [x for i, x in enumerate(items) if test(i, x)]
        if name == "map":
            return [interp.run_predicate(closure, frame, x, i) for i, x in enumerate(items)]
        if name == "find":
            return next((x for i, x in enumerate(items) if test(i, x)), None)
        if name == "findIndex":
            return next((i for i, x in enumerate(items) if test(i, x)), -1)
        if name == "findLast":
            return next((x for i, x in reversed(list(enumerate(items))) if test(i, x)), None)
        if name == "findLastIndex":
            return next((i for i, x in reversed(list(enumerate(items))) if test(i, x)), -1)
        if name == "count":
            if closure is None:
                return sum(1 for x in items if truth(x, name))
            return sum(1 for i, x in enumerate(items) if test(i, x))
        if name == "sum":
            values = items if closure is None else [interp.run_predicate(closure, frame, x, i)
                                                    for i, x in enumerate(items)]
            total = 0
            for v in values:
                total = _add(total, v) if is_number(v) else _mismatch_raise("sum", v)
            return total
        if name == "groupBy":
            groups: dict = {}
            for i, x in enumerate(items):
                key = interp.run_predicate(closure, frame, x, i)
                groups.setdefault(key if isinstance(key, str) else sprint(key), []).append(x)
            return groups
        if name == "sortBy":
            order = interp.eval(args[2], frame) if len(args) > 2 else "asc"
            keyed = [(interp.run_predicate(closure, frame, x, i), x) for i, x in enumerate(items)]
            return [x for _, x in _sorted_pairs(keyed, order)]
        if name == "reduce":
            if len(args) > 2:
                acc, rest = interp.eval(args[2], frame), list(enumerate(items))
            else:
                if not items:
                    raise ExprError("reduce of empty array with no initial value")
                acc, rest = items[0], list(enumerate(items))[1:]
            for i, x in rest:
                acc = interp.run_predicate(closure, frame, x, i, acc)
            return acc
        raise ExprError(f"unknown function {name}")
    return call


def _mismatch_raise(name, value):
    raise ExprError(f"{name}() expects numbers, got {type_name(value)}")


def _sorted_pairs(pairs, order):
    if order not in ("asc", "desc"):
        raise ExprError(f"unknown order {order!r}: use 'asc' or 'desc'")
    keys = [k for k, _ in pairs]
    if not (all(is_number(k) for k in keys) or all(isinstance(k, str) for k in keys)):
        raise ExprError("cannot sort values of different types")
    return sorted(pairs, key=lambda p: p[0], reverse=order == "desc")


for _name in ("all", "any", "none", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex",
              "count", "sum", "groupBy", "sortBy", "reduce"):
    FUNCTIONS[_name] = _predicate_builtin(_name)


@_plain_function("len")
def _len(interp, value):
    if isinstance(value, (str, list)) or isinstance(value, Mapping):
        return len(value)
    raise ExprError(f"invalid argument for len (type {type_name(value)})")


@_plain_function("type")
def _type(interp, value):
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "map"
    return type_name(value)


def _number_arg(name, value):
    if is_number(value):
        return value
    raise ExprError(f"invalid argument for {name} (type {type_name(value)})")


@_plain_function("abs")
def _abs(interp, value):
    return abs(_number_arg("abs", value))


@_plain_function("ceil")
def _ceil(interp, value):
    return float(math.ceil(_number_arg("ceil", value)))


@_plain_function("floor")
def _floor(interp, value):
    return float(math.floor(_number_arg("floor", value)))


@_plain_function("round")
def _round(interp, value):
    value = float(_number_arg("round", value))
    return float(math.floor(value + 0.5)) if value >= 0 else -float(math.floor(-value + 0.5))


@_plain_function("int", "asInt")
def to_int(interp, value):
    if isinstance(value, bool):
        raise ExprError("invalid argument for int (type bool)")
    if is_int(value):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return _INT_MIN
        return wrap_int(int(value))
    if isinstance(value, str):
        return atoi(value)
    raise ExprError(f"invalid argument for int (type {type_name(value)})")


@_plain_function("float", "asFloat")
def to_float(interp, value):
    if isinstance(value, bool):
        raise ExprError("invalid argument for float (type bool)")
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        return parse_float(value)
    raise ExprError(f"invalid argument for float (type {type_name(value)})")


@_plain_function("string")
def _string(interp, value):
    return sprint(value)


def _numbers(name, values):
    if len(values) == 1 and isinstance(values[0], list):
        values = values[0]
    if not values:
        raise ExprError(f"not enough arguments to call {name}")
    for v in values:
        _number_arg(name, v)
    return values


@_plain_function("max")
def _max(interp, *values):
    return max(_numbers("max", list(values)))


@_plain_function("min")
def _min(interp, *values):
    return min(_numbers("min", list(values)))


@_plain_function("mean")
def _mean(interp, *values):
    values = _numbers("mean", list(values))
    return sum(float(v) for v in values) / len(values)


@_plain_function("median")
def _median(interp, *values):
    values = sorted(_numbers("median", list(values)))
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


@_plain_function("toJSON")
def _to_json_indented(interp, value):
    return go_json(to_plain(value), indent=2)


@_plain_function("toJson")
def _to_json(interp, value):
    return go_json(to_plain(value))


@_plain_function("fromJSON")
def _from_json(interp, value):
    if not isinstance(value, str):
        raise ExprError(f"fromJSON expects a string, got {type_name(value)}")
    return from_json_text(value)


@_plain_function("toBase64")
def _to_base64(interp, value):
    return base64.b64encode(_text("toBase64", value).encode()).decode()


@_plain_function("fromBase64")
def _from_base64(interp, value):
    try:
        return base64.b64decode(_text("fromBase64", value), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        raise ExprError(f"illegal base64 data: {exc}") from None


def _text(name, value) -> str:
    if isinstance(value, str):
        return value
    raise ExprError(f"{name}() expects a string, got {type_name(value)}")


@_plain_function("trim")
def _trim(interp, value, chars=None):
    value = _text("trim", value)
    return value.strip() if chars is None else value.strip(_text("trim", chars))


@_plain_function("trimPrefix")
def _trim_prefix(interp, value, prefix):
    return _text("trimPrefix", value).removeprefix(_text("trimPrefix", prefix))


@_plain_function("trimSuffix")
def _trim_suffix(interp, value, suffix):
    return _text("trimSuffix", value).removesuffix(_text("trimSuffix", suffix))


@_plain_function("upper")
def _upper(interp, value):
    return _text("upper", value).upper()


@_plain_function("lower")
def _lower(interp, value):
    return _text("lower", value).lower()


def go_split(value: str, sep: str, n: int = -1, after: bool = False) -> list:
    """strings.Split / SplitN / SplitAfter(N)."""
    if n == 0:
        return []
    if sep == "":
        parts = list(value)
        if n > 0 and len(parts) > n:
            parts = parts[:n - 1] + ["".join(parts[n - 1:])]
        return parts
    parts = value.split(sep, n - 1 if n > 0 else -1)
    if after:
        parts = [p + sep for p in parts[:-1]] + parts[-1:]
    return check_list(parts)


@_plain_function("split")
def _split(interp, value, sep, n=-1):
    return go_split(_text("split", value), _text("split", sep), n)


@_plain_function("splitAfter")
def _split_after(interp, value, sep, n=-1):
    return go_split(_text("splitAfter", value), _text("splitAfter", sep), n, after=True)


@_plain_function("replace")
def _replace(interp, value, old, new):
    return check_string(_text("replace", value).replace(_text("replace", old), _text("replace", new)))


@_plain_function("repeat")
def _repeat(interp, value, count):
    value = _text("repeat", value)
    if not is_int(count) or count < 0:
        raise ExprError("repeat count must be a non-negative integer")
    if len(value) * count > MAX_STRING:
        raise ExprError(f"repeat would build a string over the dry run's limit of {MAX_STRING} characters")
    return value * count


@_plain_function("join")
def _join(interp, items, sep=""):
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ExprError("join() expects an array of strings")
    return check_string(_text("join", sep).join(items))


@_plain_function("indexOf")
def _index_of(interp, value, sub):
    return _text("indexOf", value).find(_text("indexOf", sub))


@_plain_function("lastIndexOf")
def _last_index_of(interp, value, sub):
    return _text("lastIndexOf", value).rfind(_text("lastIndexOf", sub))


@_plain_function("hasPrefix")
def _has_prefix(interp, value, prefix):
    return _text("hasPrefix", value).startswith(_text("hasPrefix", prefix))


@_plain_function("hasSuffix")
def _has_suffix(interp, value, suffix):
    return _text("hasSuffix", value).endswith(_text("hasSuffix", suffix))


@_plain_function("now")
def _now(interp):
    return interp.now


@_plain_function("duration")
def _duration(interp, value):
    return parse_duration(_text("duration", value))


@_plain_function("date")
def _date(interp, value, layout=None, zone=None):
    if isinstance(value, datetime):
        return value
    return parse_date(_text("date", value), layout)


@_plain_function("timezone")
def _timezone(interp, name):
    if _text("timezone", name) in ("UTC", "Local", ""):
        return timezone.utc
    raise ExprError(f"time zone {name!r} is not supported by the dry run (only UTC)")


@_plain_function("first")
def _first(interp, items):
    items = _collection(items, "first")
    return items[0] if items else None


@_plain_function("last")
def _last(interp, items):
    items = _collection(items, "last")
    return items[-1] if items else None


@_plain_function("get")
def _get(interp, obj, key):
    return interp.fetch(obj, key, True, "")


@_plain_function("take")
def _take(interp, items, n):
    if not isinstance(items, list) or not is_int(n):
        raise ExprError("take() expects an array and an integer")
    return items[:max(0, n)]


@_plain_function("keys")
def _keys(interp, obj):
    if not isinstance(obj, Mapping):
        raise ExprError(f"keys() expects a map, got {type_name(obj)}")
    return sorted(obj, key=str)


@_plain_function("values")
def _values(interp, obj):
    if not isinstance(obj, Mapping):
        raise ExprError(f"values() expects a map, got {type_name(obj)}")
    return [obj[k] for k in sorted(obj, key=str)]


@_plain_function("toPairs")
def _to_pairs(interp, obj):
    if not isinstance(obj, Mapping):
        raise ExprError(f"toPairs() expects a map, got {type_name(obj)}")
    return [[k, obj[k]] for k in sorted(obj, key=str)]


@_plain_function("fromPairs")
def _from_pairs(interp, pairs):
    out = {}
    for pair in _collection(pairs, "fromPairs"):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ExprError("fromPairs() expects an array of [key, value] pairs")
        out[pair[0] if isinstance(pair[0], str) else sprint(pair[0])] = pair[1]
    return out


@_plain_function("sort")
def _sort(interp, items, order="asc"):
    items = _collection(items, "sort")
    return [x for _, x in _sorted_pairs([(x, x) for x in items], order)]


@_plain_function("concat")
def _concat(interp, *lists):
    out = []
    for items in lists:
        out.extend(_collection(items, "concat"))
    return check_list(out)


@_plain_function("flatten")
def _flatten(interp, items):
    out = []

    def walk(value):
        for v in value:
            if isinstance(v, list):
                walk(v)
            else:
                out.append(v)
    walk(_collection(items, "flatten"))
    return check_list(out)


@_plain_function("uniq")
def _uniq(interp, items):
    out = []
    for x in _collection(items, "uniq"):
        if not any(equal(x, y) for y in out):
            out.append(x)
    return out


def _bits(name, fn):
    def apply(interp, *values):
        if not all(is_int(v) for v in values):
            raise ExprError(f"{name}() expects integers")
        return wrap_int(fn(*values))
    _plain_function(name)(apply)


_bits("bitand", lambda a, b: a & b)
_bits("bitor", lambda a, b: a | b)
_bits("bitxor", lambda a, b: a ^ b)
_bits("bitnand", lambda a, b: a & ~b)
_bits("bitnot", lambda a: ~a)
_bits("bitshl", lambda a, b: a << min(max(b, 0), 64))
_bits("bitshr", lambda a, b: a >> min(max(b, 0), 64))
_bits("bitushr", lambda a, b: (a & ((1 << 64) - 1)) >> min(max(b, 0), 64))


@_plain_function("jsonpath")
def _jsonpath(interp, document, path):
    from argolint.evaluator.jsonpath import query

    return query(from_json_text(_text("jsonpath", document)), _text("jsonpath", path))


