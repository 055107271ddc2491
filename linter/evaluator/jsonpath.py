"""Argo's `jsonpath(json, path)` expression function, for the paths people write.

Supported: `$`, `.name`, `['name']` / `["name"]`, `[n]` (negative from the end), `[*]`
and `.*`, `[a,b]` unions, `[start:end]` slices, `..name` recursive descent, and filters
`[?(@.key OP value)]` (OP one of == != < <= > >=, value a number, a quoted string, true,
false or null; `[?(@.key)]` tests presence) joined by && and ||. A definite path returns the value; a
path with a wildcard, union, slice, descent or filter returns the list of matches, as
evilmonkeyinc/jsonpath does. Anything else is reported as unsupported by the dry run.
"""

from __future__ import annotations

import re
from typing import Any

from argolint.evaluator.exprlang import ExprError, equal, less

_NAME = re.compile(r"[A-Za-z_$][\w$-]*")
_CONDITION = re.compile(r"\s*@((?:\.[\w$-]+|\[['\"][^'\"]*['\"]\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\Z")


def _literal(text: str):
    text = text.strip()
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    try:
        return float(text)
    except ValueError:
        raise ExprError(f"jsonpath: unsupported filter value {text!r}") from None


def _steps(path: str) -> list:
    """[(kind, arg)]: ("key", name), ("index", n), ("all", None), ("union", [..]),
    ("slice", (a, b)), ("descend", name or None), ("filter", (keys, op, value))."""
    if not path.startswith("$"):
        raise ExprError(f"jsonpath: a path starts with '$': {path!r}")
    steps, i, n = [], 1, len(path)
    while i < n:
        if path.startswith("..", i):
            i += 2
            if i < n and path[i] == "*":
                steps.append(("descend", None))
                i += 1
                continue
            m = _NAME.match(path, i)
            if not m:
                raise ExprError(f"jsonpath: expected a name after '..' at {i}: {path!r}")
            steps.append(("descend", m.group()))
            i = m.end()
        elif path[i] == ".":
            i += 1
            if i < n and path[i] == "*":
                steps.append(("all", None))
                i += 1
                continue
            m = _NAME.match(path, i)
            if not m:
                raise ExprError(f"jsonpath: expected a name at {i}: {path!r}")
            steps.append(("key", m.group()))
            i = m.end()
        elif path[i] == "[":
            close = _closing(path, i)
            steps.append(_bracket(path[i + 1:close].strip(), path))
            i = close + 1
        else:
            raise ExprError(f"jsonpath: unexpected {path[i]!r} at {i}: {path!r}")
    return steps


def _closing(path: str, start: int) -> int:
    depth, quote = 0, None
    for j in range(start, len(path)):
        ch = path[j]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth == 0 and ch == "]":
                return j
    raise ExprError(f"jsonpath: unclosed '[': {path!r}")


def _bracket(body: str, path: str):
    if body == "*":
        return ("all", None)
    if body.startswith("?"):
        inner = body[1:].strip()
        if not (inner.startswith("(") and inner.endswith(")")):
            raise ExprError(f"jsonpath: filter {body!r} is not supported by the dry run")
        # conditions joined by || (any) of && (all): [[(keys, op, value), ...], ...]
        alternatives = []
        for alternative in inner[1:-1].split("||"):
            conditions = []
            for part in alternative.split("&&"):
                m = _CONDITION.match(part)
                if not m:
                    raise ExprError(f"jsonpath: filter {body!r} is not supported by the dry run")
                keys = [a or b for a, b in re.findall(r"\.([\w$-]+)|\[['\"]([^'\"]*)['\"]\]", m.group(1))]
                conditions.append((keys, m.group(2), _literal(m.group(3)) if m.group(2) else None))
            alternatives.append(conditions)
        return ("filter", alternatives)
    if ":" in body and body[:1] not in "'\"":
        parts = body.split(":")
        try:
            bounds = [int(p) if p.strip() else None for p in parts[:2]]
        except ValueError:
            raise ExprError(f"jsonpath: bad slice [{body}]") from None
        return ("slice", tuple(bounds))
    parts = [p.strip() for p in _split_union(body)]
    keys = []
    for part in parts:
        if part[:1] in "'\"" and part[-1:] == part[:1]:
            keys.append(part[1:-1])
        else:
            try:
                keys.append(int(part))
            except ValueError:
                raise ExprError(f"jsonpath: unsupported selector [{body}] in {path!r}") from None
    if len(keys) == 1:
        return ("key", keys[0]) if isinstance(keys[0], str) else ("index", keys[0])
    return ("union", keys)


def _split_union(body: str) -> list:
    out, current, quote = [], "", None
    for ch in body:
        if quote:
            current += ch
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            current += ch
        elif ch == ",":
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return out


def _select(value, key):
    if isinstance(key, str):
        if isinstance(value, dict) and key in value:
            return [value[key]]
        return []
    if isinstance(value, list):
        index = key + len(value) if key < 0 else key
        if 0 <= index < len(value):
            return [value[index]]
    return []


def _children(value) -> list:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list):
        return list(value)
    return []


def _descend(value, name, out):
    if isinstance(value, dict):
        if name is None:
            out.extend(_children(value))
        elif name in value:
            out.append(value[name])
        for k in sorted(value):
            _descend(value[k], name, out)
    elif isinstance(value, list):
        if name is None:
            out.extend(value)
        for item in value:
            _descend(item, name, out)


def _matches(item, keys, op, expected) -> bool:
    value = item
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    if op is None:
        return True
    if op == "==":
        return equal(value, expected)
    if op == "!=":
        return not equal(value, expected)
    try:
        return less(value, expected, op)
    except ExprError:
        return False


def query(document: Any, path: str) -> Any:
    steps = _steps(path.strip())
    current = [document]
    definite = True
    for kind, arg in steps:
        nxt: list = []
        for value in current:
            if kind in ("key", "index"):
                nxt.extend(_select(value, arg))
            elif kind == "all":
                nxt.extend(_children(value))
            elif kind == "union":
                for key in arg:
                    nxt.extend(_select(value, key))
            elif kind == "slice":
                if isinstance(value, list):
                    nxt.extend(value[slice(*arg)])
            elif kind == "descend":
                _descend(value, arg, nxt)
            elif kind == "filter":
                nxt.extend(item for item in _children(value)
                           if any(all(_matches(item, *condition) for condition in conditions) for conditions in arg))
        if kind not in ("key", "index"):
            definite = False
        current = nxt
    if definite:
        if not current:
            raise ExprError(f"jsonpath: {path!r} matches nothing")
        return current[0]
    return current
