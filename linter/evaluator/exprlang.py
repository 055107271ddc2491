"""An interpreter for expr-lang (Argo's `{{= ... }}`), over the trees of
`argolint.analysis.templating.ast` built by `argolint.analysis.templating.expr.parse_expr`.

Semantics follow expr-lang v1.17 as Argo configures it: Go's int (64-bit, wrapping) and
float64, `/` always divides as floats, `+` joins strings and lists, `==` compares numbers
across int and float, a missing map key reads as nil, member access on nil is an error
unless written `?.` (or left of `??`), `and`/`or`/`not`/`?:` need booleans. The built-ins
of expr, Argo's `asInt`, `asFloat`, `toJson`, `jsonpath` and a subset of `sprig.*`
(argolint.evaluator.sprig) are available; anything else fails with a clear message.

Every value an expression produces is bounded (strings, lists, ranges), so no input makes
the dry run use unbounded memory or time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from argolint.evaluator.values import RegexError, go_json, regex_search, go_sprint_float
from argolint.analysis.templating import ast

MAX_STRING = 1 << 20  # characters in one string an expression builds
MAX_ITEMS = 100_000  # elements in one list an expression builds
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1


class ExprError(Exception):
    """A runtime error of an expression (Argo: "failed to evaluate expression")."""


class _Sprig:
    """The value of the name `sprig`: a namespace of functions."""

    def __repr__(self):
        return "sprig"


SPRIG = _Sprig()


def wrap_int(value: int) -> int:
    """Go's int64 wrapping on overflow."""
    if _INT_MIN <= value <= _INT_MAX:
        return value
    value &= (1 << 64) - 1
    return value - (1 << 64) if value > _INT_MAX else value


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def type_name(value) -> str:
    """The Go type name expr's messages use."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, datetime):
        return "time.Time"
    if isinstance(value, timedelta):
        return "time.Duration"
    return type(value).__name__


def check_string(value: str) -> str:
    if len(value) > MAX_STRING:
        raise ExprError(f"string of {len(value)} characters is over the dry run's limit of {MAX_STRING}")
    return value


def check_list(value: list) -> list:
    if len(value) > MAX_ITEMS:
        raise ExprError(f"list of {len(value)} items is over the dry run's limit of {MAX_ITEMS}")
    return value


# -- text of values -------------------------------------------------------------------------


def go_duration(delta: timedelta) -> str:
    """time.Duration.String(): `1h2m3s`, `1.5s`, `0s`."""
    total_ns = round(delta.total_seconds() * 1e9)
    if total_ns == 0:
        return "0s"
    sign = "-" if total_ns < 0 else ""
    ns = abs(total_ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                return sign + _trim_fraction(ns / size) + unit
    hours, rest = divmod(ns, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    seconds = _trim_fraction(rest / 1e9)
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}s"
    if minutes:
        return f"{sign}{minutes}m{seconds}s"
    return f"{sign}{seconds}s"


def _trim_fraction(value: float) -> str:
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text or "0"


def go_time(moment: datetime) -> str:
    """time.Time.String() for a UTC time."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def sprint(value) -> str:
    """fmt.Sprint (%v) of an expression value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_sprint_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(sprint(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{sprint(value[k])}" for k in sorted(value, key=str)) + "]"
    if isinstance(value, datetime):
        return go_time(value)
    if isinstance(value, timedelta):
        return go_duration(value)
    return str(value)


def to_plain(value):
    """An expression value as JSON-ready data (times as RFC 3339, durations as nanoseconds)."""
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, timedelta):
        return round(value.total_seconds() * 1e9)
    if isinstance(value, _Sprig):
        return {}
    return value


def render(value) -> str:
    """How Argo writes an expression's result into the text: a string as it is, anything
    else as its JSON."""
    if isinstance(value, str):
        return value
    return go_json(to_plain(value))


def from_json_text(text: str):
    """json.Unmarshal into interface{}: numbers become float64."""
    try:
        return json.loads(text, parse_int=float, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ExprError(f"invalid JSON: {exc}") from None


def _no_constant(name):
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


# -- parsing numbers, durations and dates the Go way -------------------------------------------

_GO_INT = re.compile(r"[+-]?[0-9]+\Z")
_GO_FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)\Z", re.I)


def atoi(text: str) -> int:
    if not _GO_INT.match(text):
        raise ExprError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    if len(text.lstrip("+-0")) > 19:  # int() of 10,000 digits raises; int64 has at most 19
        raise ExprError(f'strconv.Atoi: parsing "{_shortened(text)}": value out of range')
    value = int(text)
    if not _INT_MIN <= value <= _INT_MAX:
        raise ExprError(f'strconv.Atoi: parsing "{text}": value out of range')
    return value


def parse_float(text: str) -> float:
    if not _GO_FLOAT.match(text):
        raise ExprError(f'strconv.ParseFloat: parsing "{text}": invalid syntax')
    return float(text)


_DURATION_PART = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> timedelta:
    """time.ParseDuration."""
    body = text
    sign = 1
    if body[:1] in "+-" and body:
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return timedelta(0)
    pos, seconds = 0, 0.0
    while pos < len(body):
        m = _DURATION_PART.match(body, pos)
        if m is None:
            raise ExprError(f'time: invalid duration "{text}"')
        seconds += float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    if not body:
        raise ExprError(f'time: invalid duration "{text}"')
    if not seconds <= _MAX_DURATION_SECONDS:  # Go's Duration is int64 nanoseconds (~292 years)
        raise ExprError(f'time: invalid duration "{_shortened(text)}"')
    return timedelta(seconds=sign * seconds)


_MAX_DURATION_SECONDS = ((1 << 63) - 1) / 1e9


def _shortened(text: str, limit: int = 80) -> str:
    """A long input quoted in a message: its start, and how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


_DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d %b %Y", "%d %b %y %H:%M %z")


def parse_date(text: str, layout: Optional[str] = None) -> datetime:
    candidate = text[:-1] + "+0000" if text.endswith("Z") else text
    formats = (_go_layout(layout),) if layout else _DATE_FORMATS
    for fmt in formats:
        try:
            moment = datetime.strptime(candidate, fmt)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    raise ExprError(f'cannot parse "{text}" as a date' + (f" with layout {layout!r}" if layout else ""))


_GO_LAYOUT = (("2006", "%Y"), ("01", "%m"), ("02", "%d"), ("15", "%H"), ("04", "%M"), ("05", "%S"),
              ("Jan", "%b"), ("Mon", "%a"), ("MST", "%Z"), ("Z07:00", "%z"), ("-0700", "%z"), ("06", "%y"))


def _go_layout(layout: str) -> str:
    out = layout
    for go, py in _GO_LAYOUT:
        out = out.replace(go, py)
    return out


# -- comparisons ----------------------------------------------------------------------------


def equal(a, b) -> bool:
    """expr's runtime.Equal."""
    if is_number(a) and is_number(b):
        return a == b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return set(a) == set(b) and all(_deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return a == b
    return False


def _deep_equal(a, b) -> bool:
    """reflect.DeepEqual: an int never equals a float inside lists and maps."""
    if type(a) is not type(b) and not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return False
    return equal(a, b)


def less(a, b, op: str) -> bool:
    if is_number(a) and is_number(b) or isinstance(a, str) and isinstance(b, str) \
            or isinstance(a, datetime) and isinstance(b, datetime) \
            or isinstance(a, timedelta) and isinstance(b, timedelta):
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        return a >= b
    raise ExprError(f"invalid operation: {op} (mismatched types {type_name(a)} and {type_name(b)})")


def truth(value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ExprError(f"invalid operation: {what} on a non-bool value {sprint(value)} ({type_name(value)})")


# -- the interpreter ------------------------------------------------------------------------


_FUNCTIONS: dict = {}


def functions() -> dict:
    """The built-in functions by name (argolint.evaluator.exprfuncs, which uses this module)."""
    if not _FUNCTIONS:
        from argolint.evaluator.exprfuncs import FUNCTIONS

        _FUNCTIONS.update(FUNCTIONS)
    return _FUNCTIONS


class _Frame:
    """Local names (`let`) and the closure element (`#`, `#index`, `#acc`)."""

    __slots__ = ("names", "element", "index", "acc", "parent")

    def __init__(self, names=None, element=None, index=None, acc=None, parent=None):
        self.names = names
        self.element = element
        self.index = index
        self.acc = acc
        self.parent = parent

    def lookup(self, name):
        frame = self
        while frame is not None:
            if frame.names and name in frame.names:
                return True, frame.names[name]
            frame = frame.parent
        return False, None


_MISSING = object()


class Interpreter:
    """Evaluates one tree against an environment (a nested mapping of variables)."""

    def __init__(self, env: Mapping, now: Optional[datetime] = None):
        from argolint.evaluator.budget import active

        self.env = env
        self.now = now or datetime(2026, 1, 1, tzinfo=timezone.utc)
        budget = active()
        self._step = budget.step if budget is not None else None

    def evaluate(self, tree: ast.Node):
        try:
            return self.eval(tree, _Frame(element=_MISSING))
        except RecursionError:
            raise ExprError("expression nested too deeply to evaluate") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, re.error) as exc:
            # a built-in given what it cannot take: the expression's error (Argo: expr's or
            # sprig's panic, recovered as "failed to evaluate expression"), never a crash
            raise ExprError(f"{type(exc).__name__}: {exc}") from None

    # dispatch

    def eval(self, node, frame: _Frame, safe: bool = False):
        if self._step is not None:
            self._step()
        method = _DISPATCH.get(type(node))
        if method is None:
            raise ExprError(f"unsupported syntax {type(node).__name__}")
        return method(self, node, frame, safe)

    def _literal(self, node, frame, safe):
        return node.value

    def _name(self, node, frame, safe):
        found, value = frame.lookup(node.name)
        if found:
            return value
        if node.name == "sprig":
            return self.env.get("sprig", SPRIG) if isinstance(self.env, Mapping) else SPRIG
        if node.name in self.env:
            return self.env[node.name]
        if safe:
            return None
        if node.name in functions():
            raise ExprError(f"function {node.name} must be called")
        raise ExprError(f"unknown name {node.name}")

    def _pointer(self, node, frame, safe):
        f = frame
        while f is not None and f.element is _MISSING:
            f = f.parent
        if f is None:
            raise ExprError("'#' used outside a predicate")
        if node.name == "":
            return f.element
        if node.name == "index":
            return f.index
        if node.name == "acc":
            return f.acc
        raise ExprError(f"unknown pointer #{node.name}")

    def _member(self, node, frame, safe):
        obj = self.eval(node.obj, frame, safe)
        return self.fetch(obj, node.name, node.optional or safe, f".{node.name}")

    def _index(self, node, frame, safe):
        obj = self.eval(node.obj, frame, safe)
        if obj is None and (node.optional or safe):
            return None
        key = self.eval(node.index, frame)
        return self.fetch(obj, key, node.optional or safe, f"[{sprint(key)}]")

    def fetch(self, obj, key, optional: bool, written: str):
        if obj is None:
            if optional:
                return None
            raise ExprError(f"cannot fetch {sprint(key)} from <nil>")
        if isinstance(obj, Mapping):
            if not isinstance(key, str):
                if optional:
                    return None
                raise ExprError(f"cannot use {sprint(key)} ({type_name(key)}) as a map key")
            try:
                return obj[key]
            except KeyError:
                return None
        if isinstance(obj, (list, str)):
            if not is_int(key):
                if optional:
                    return None
                raise ExprError(f"cannot fetch {sprint(key)} from {type_name(obj)}")
            index = key + len(obj) if key < 0 else key
            if not 0 <= index < len(obj):
                if optional:
                    return None
                raise ExprError(f"index out of range: {key} (array length is {len(obj)})")
            return obj[index]
        if optional:
            return None
        raise ExprError(f"cannot fetch {sprint(key)} from {type_name(obj)}")

    def _slice(self, node, frame, safe):
        obj = self.eval(node.obj, frame, safe)
        if not isinstance(obj, (list, str)):
            raise ExprError(f"cannot slice {type_name(obj)}")
        lower = self.eval(node.lower, frame) if node.lower is not None else 0
        upper = self.eval(node.upper, frame) if node.upper is not None else len(obj)
        if not is_int(lower) or not is_int(upper):
            raise ExprError("slice bounds must be integers")
        n = len(obj)
        lower = max(0, min(n, lower + n if lower < 0 else lower))
        upper = max(0, min(n, upper + n if upper < 0 else upper))
        return obj[lower:max(lower, upper)]

    def _unary(self, node, frame, safe):
        value = self.eval(node.operand, frame)
        if node.op == "not":
            return not truth(value, "not")
        if not is_number(value):
            raise ExprError(f"invalid operation: {node.op} on {type_name(value)}")
        if node.op == "-":
            return wrap_int(-value) if is_int(value) else -value
        return value

    def _binary(self, node, frame, safe):
        op = node.op
        if op == "and":
            return truth(self.eval(node.left, frame), "and") and truth(self.eval(node.right, frame), "and")
        if op == "or":
            return truth(self.eval(node.left, frame), "or") or truth(self.eval(node.right, frame), "or")
        if op == "??":
            left = self.eval(node.left, frame, True)
            return left if left is not None else self.eval(node.right, frame, safe)
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        handler = _BINARY.get(op)
        if handler is None:
            raise ExprError(f"unsupported operator {op}")
        return handler(left, right)

    def _conditional(self, node, frame, safe):
        cond = self.eval(node.cond, frame)
        if node.then is node.cond:  # elvis `a ?: b`
            return cond if cond is not None and cond is not False else self.eval(node.otherwise, frame)
        return self.eval(node.then, frame) if truth(cond, "?:") else self.eval(node.otherwise, frame)

    def _if(self, node, frame, safe):
        return self.eval(node.then, frame) if truth(self.eval(node.cond, frame), "if") \
            else self.eval(node.otherwise, frame)

    def _array(self, node, frame, safe):
        return check_list([self.eval(item, frame) for item in node.items])

    def _map(self, node, frame, safe):
        out = {}
        for key_node, value_node in node.entries:
            key = self.eval(key_node, frame)
            out[key if isinstance(key, str) else sprint(key)] = self.eval(value_node, frame)
        return out

    def _let(self, node, frame, safe):
        value = self.eval(node.value, frame)
        return self.eval(node.body, _Frame(names={node.name: value}, element=_MISSING, parent=frame))

    def _sequence(self, node, frame, safe):
        result = None
        for item in node.items:
            result = self.eval(item, frame)
        return result

    def _closure(self, node, frame, safe):
        raise ExprError("a predicate can only be given to a built-in such as filter()")

    def _call(self, node, frame, safe):
        callee = node.callee
        if isinstance(callee, ast.Name):
            found, _ = frame.lookup(callee.name)
            function = functions().get(callee.name)
            if function is None or found:
                raise ExprError(f"unknown function {callee.name}")
            return function(self, node.args, frame)
        if isinstance(callee, ast.Member):
            target = self.eval(callee.obj, frame)
            if isinstance(target, _Sprig):
                from argolint.evaluator.sprig import call_sprig

                args = [self.eval(a, frame) for a in node.args]
                return call_sprig(callee.name, args, self.now)
            raise ExprError(f"method {callee.name} of {type_name(target)} is not supported by the dry run")
        raise ExprError("only functions can be called")

    # predicates

    def run_predicate(self, closure, frame, element, index, acc=None):
        body = closure.body if isinstance(closure, ast.Closure) else closure
        return self.eval(body, _Frame(element=element, index=index, acc=acc, parent=frame))


_DISPATCH: dict = {
    ast.Literal: Interpreter._literal,
    ast.Name: Interpreter._name,
    ast.Pointer: Interpreter._pointer,
    ast.Member: Interpreter._member,
    ast.Index: Interpreter._index,
    ast.Slice: Interpreter._slice,
    ast.Unary: Interpreter._unary,
    ast.Binary: Interpreter._binary,
    ast.Conditional: Interpreter._conditional,
    ast.If: Interpreter._if,
    ast.Array: Interpreter._array,
    ast.Map: Interpreter._map,
    ast.Let: Interpreter._let,
    ast.Sequence: Interpreter._sequence,
    ast.Closure: Interpreter._closure,
    ast.Call: Interpreter._call,
}


# -- operators ------------------------------------------------------------------------------


def _mismatch(op, a, b):
    return ExprError(f"invalid operation: {op} (mismatched types {type_name(a)} and {type_name(b)})")


def _add(a, b):
    if is_int(a) and is_int(b):
        return wrap_int(a + b)
    if is_number(a) and is_number(b):
        return float(a) + float(b)
    if isinstance(a, str) and isinstance(b, str):
        return check_string(a + b)
    if isinstance(a, list) and isinstance(b, list):
        return check_list(a + b)
    if isinstance(a, datetime) and isinstance(b, timedelta) or isinstance(a, timedelta) and isinstance(b, datetime):
        return a + b
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return a + b
    raise _mismatch("+", a, b)


def _sub(a, b):
    if is_int(a) and is_int(b):
        return wrap_int(a - b)
    if is_number(a) and is_number(b):
        return float(a) - float(b)
    if isinstance(a, datetime) and isinstance(b, (datetime, timedelta)):
        return a - b
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return a - b
    raise _mismatch("-", a, b)


def _mul(a, b):
    if is_int(a) and is_int(b):
        return wrap_int(a * b)
    if is_number(a) and is_number(b):
        return float(a) * float(b)
    if isinstance(a, timedelta) and is_number(b):
        return a * b
    raise _mismatch("*", a, b)


def _div(a, b):
    if is_number(a) and is_number(b):
        a, b = float(a), float(b)
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
        return a / b
    raise _mismatch("/", a, b)


def _mod(a, b):
    if is_int(a) and is_int(b):
        if b == 0:
            raise ExprError("integer divide by zero")
        return int(math.fmod(a, b))
    raise _mismatch("%", a, b)


def _pow(a, b):
    if is_number(a) and is_number(b):
        try:
            return math.pow(float(a), float(b))
        except OverflowError:
            return math.inf
        except ValueError:
            return math.nan
    raise _mismatch("**", a, b)


def _in(a, b):
    if isinstance(b, list):
        return any(equal(a, item) for item in b)
    if isinstance(b, Mapping):
        return isinstance(a, str) and a in b
    if b is None:
        return False
    raise ExprError(f"operator \"in\" not defined on {type_name(b)}")


def _strings(op: str, test: Callable[[str, str], bool]):
    def apply(a, b):
        if isinstance(a, str) and isinstance(b, str):
            return test(a, b)
        raise _mismatch(op, a, b)
    return apply


def _matches(a, b):
    if not (isinstance(a, str) and isinstance(b, str)):
        raise _mismatch("matches", a, b)
    try:
        return regex_search(b, a) is not None
    except RegexError as exc:
        raise ExprError(str(exc)) from None


def _range(a, b):
    if not (is_int(a) and is_int(b)):
        raise _mismatch("..", a, b)
    if b - a + 1 > MAX_ITEMS:
        raise ExprError(f"range {a}..{b} is over the dry run's limit of {MAX_ITEMS} items")
    return list(range(a, b + 1))


_BINARY = {
    "==": equal,
    "!=": lambda a, b: not equal(a, b),
    "<": lambda a, b: less(a, b, "<"),
    ">": lambda a, b: less(a, b, ">"),
    "<=": lambda a, b: less(a, b, "<="),
    ">=": lambda a, b: less(a, b, ">="),
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "%": _mod,
    "**": _pow,
    "in": _in,
    "contains": _strings("contains", lambda a, b: b in a),
    "startsWith": _strings("startsWith", lambda a, b: a.startswith(b)),
    "endsWith": _strings("endsWith", lambda a, b: a.endswith(b)),
    "matches": _matches,
    "..": _range,
}


def evaluate(tree: ast.Node, env: Mapping, now: Optional[datetime] = None):
    """The value of an expression tree in `env`; raises ExprError."""
    return Interpreter(env, now).evaluate(tree)

