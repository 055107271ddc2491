"""Evaluate a step's or task's `when` as Argo does: govaluate, with bare words as strings.

The text is parsed by `argolint.analysis.templating.when.parse_when` (after substitution). Values
are float64 numbers, strings, booleans, nil and (right of `in`) lists; a quoted string that
reads as a date or time becomes its Unix time in seconds, as govaluate converts it. Error
texts follow Argo's wording (argo-semantics §3.3).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Optional

from argolint.evaluator.values import RegexError, go_sprint_float, regex_search
from argolint.analysis.templating import ast
from argolint.analysis.templating.ast import ExpressionError


class WhenError(Exception):
    """A `when` that does not parse or evaluate; the message is Argo's."""


# govaluate's tryParseTime formats, in its order (Go layouts rewritten for strptime)
_TIME_FORMATS = (
    "%a %b %d %H:%M:%S %Y",  # ANSIC (day padded by a space in Go; strptime accepts both)
    "%a %b %d %H:%M:%S %Z %Y",  # UnixDate
    "%a %b %d %H:%M:%S %z %Y",  # RubyDate
    "%I:%M%p",  # Kitchen
    "%Y-%m-%dT%H:%M:%S%z",  # RFC3339
    "%Y-%m-%dT%H:%M:%S.%f%z",  # RFC3339Nano
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H%z",
    "%Y-%m-%dT%H:%M%z",
)
_DATE_START = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}:\d\d[AP]M|[A-Z][a-z]{2} ")


@lru_cache(maxsize=4096)
def _as_time(text: str) -> Optional[float]:
    if not _DATE_START.match(text):
        return None
    candidate = text[:-1] + "+0000" if text.endswith("Z") else text
    for fmt in _TIME_FORMATS:
        try:
            moment = datetime.strptime(candidate, fmt)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return float(int(moment.timestamp()))
    return None


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_sprint_float(value)
    if value is None:
        return "<nil>"
    if isinstance(value, list):
        return "[" + " ".join(_show(v) for v in value) + "]"
    return str(value)


def _number(value, op: str, role: str = "modifier") -> float:
    if isinstance(value, float):
        return value
    raise WhenError(f"Value '{_show(value)}' cannot be used with the {role} '{op}', it is not a number")


def _boolean(value, op: str) -> bool:
    if isinstance(value, bool):
        return value
    raise WhenError(f"Value '{_show(value)}' cannot be used with the logical operator '{op}', it is not a bool")


def _int64(value: float) -> int:
    value = int(value) if math.isfinite(value) else 0
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def _equal(a, b) -> bool:
    """reflect.DeepEqual of govaluate values: same type and value."""
    if type(a) is not type(b):
        return False
    return a == b


def _evaluate(node: ast.Node) -> Any:
    if isinstance(node, ast.Literal):
        if node.kind == "string":
            moment = _as_time(node.value)
            return moment if moment is not None else node.value
        if node.kind == "number":
            return float(node.value)
        return node.value
    if isinstance(node, ast.Word):
        return node.name
    if isinstance(node, ast.Accessor):
        raise WhenError(f"No parameter '{node.name.split('.')[0]}' found.")
    if isinstance(node, ast.Placeholder):
        raise WhenError(f"'{node.text}' was never substituted")
    if isinstance(node, ast.Array):
        return [_evaluate(item) for item in node.items]
    if isinstance(node, ast.Unary):
        value = _evaluate(node.operand)
        if node.op == "!":
            if not isinstance(value, bool):
                raise WhenError(f"Value '{_show(value)}' cannot be used with the prefix '!', it is not a bool")
            return not value
        number = _number(value, node.op, "prefix")
        return -number if node.op == "-" else float(~_int64(number))
    if isinstance(node, ast.Binary):
        return _binary(node)
    raise WhenError(f"unsupported expression {type(node).__name__}")


def _binary(node: ast.Binary) -> Any:
    op = node.op
    if op in ("&&", "||"):
        left = _boolean(_evaluate(node.left), op)
        if op == "&&" and not left:
            return False
        if op == "||" and left:
            return True
        return _boolean(_evaluate(node.right), op)
    left = _evaluate(node.left)
    if op == "?":
        if not isinstance(left, bool):
            raise WhenError(f"Value '{_show(left)}' cannot be used with the ternary operator '?', it is not a bool")
        return _evaluate(node.right) if left else None
    if op in (":", "??"):
        return left if left is not None else _evaluate(node.right)
    right = _evaluate(node.right)
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op in (">", ">=", "<", "<="):
        if isinstance(left, float) and isinstance(right, float) or isinstance(left, str) and isinstance(right, str):
            return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[op]
        bad = left if not isinstance(left, (float, str)) or isinstance(right, (float, str)) else right
        raise WhenError(f"Value '{_show(bad)}' cannot be used with the comparator '{op}', it is not a number")
    if op in ("=~", "!~"):
        for value in (left, right):
            if not isinstance(value, str):
                raise WhenError(f"Value '{_show(value)}' cannot be used with the comparator '{op}', it is not a string")
        try:
            matched = regex_search(right, left) is not None
        except RegexError as exc:
            raise WhenError(f"Unable to compile regexp pattern '{right}': {exc}") from None
        return matched if op == "=~" else not matched
    if op == "in":
        if not isinstance(right, list):
            raise WhenError(f"Value '{_show(right)}' cannot be used with the comparator 'in', it is not an array")
        return any(_equal(left, item) for item in right)
    if op == "+":
        if isinstance(left, str) or isinstance(right, str):
            return _show(left) + _show(right)
        return _number(left, op) + _number(right, op)
    a, b = _number(left, op), _number(right, op)
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            return math.copysign(math.inf, a) if a else math.nan
        return a / b
    if op == "%":
        return math.fmod(a, b) if b else math.nan
    if op == "**":
        try:
            return math.pow(a, b)
        except (OverflowError, ValueError):
            return math.inf
    ia, ib = _int64(a), _int64(b)
    if op == "&":
        return float(ia & ib)
    if op == "|":
        return float(ia | ib)
    if op == "^":
        return float(ia ^ ib)
    if op == "<<":
        return float(_int64(ia << min(max(ib, 0), 64)))
    if op == ">>":
        return float(ia >> min(max(ib, 0), 64))
    raise WhenError(f"unsupported operator '{op}'")


def should_execute(when: Optional[str]) -> bool:
    """Argo's shouldExecute: True/False, or WhenError with Argo's message."""
    if when is None or when == "":
        return True
    from argolint.analysis.templating.when import parse_when

    try:
        tree = parse_when(when)
    except ExpressionError as exc:
        raise WhenError(f"Invalid 'when' expression '{when}': {exc.message}") from None
    if tree is None:
        return True
    try:
        result = _evaluate(tree)
    except WhenError as exc:
        raise WhenError(f"Failed to evaluate 'when' expression '{when}': {exc}") from None
    except RecursionError:
        raise WhenError(f"Failed to evaluate 'when' expression '{when}': too deeply nested") from None
    if not isinstance(result, bool):
        raise WhenError(f"Expected boolean evaluation for '{when}'. Got {_show(result)}")
    return result
