"""Loops: `withItems`, `withParam`, `withSequence` expanded as the controller expands them
(argo-semantics §2.5, §3.5): items, their variables, and the node-name suffix
`(index:description)`.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from argolint.evaluator.values import JsonNumber, as_text, go_json, parse_json

LOOP_KEYS = ("withItems", "withParam", "withSequence")


class LoopError(Exception):
    """A loop that cannot be expanded; the message is Argo's."""


class TooManyItems(Exception):
    """A loop over the dry run's item limit."""


def has_loop(step: dict) -> bool:
    items = step.get("withItems")
    if "withItems" in step and not (isinstance(items, list) and not items):
        return True  # `withItems: []` is no loop at all
    return "withParam" in step or "withSequence" in step


def json_text(value: Any) -> str:
    """Item.String(): the JSON text, without the quotes of a string."""
    text = go_json(value)
    if isinstance(value, str) and not isinstance(value, JsonNumber):
        return text[1:-1]
    return text


def item_value(item: Any) -> str:
    """`{{item}}`: strings as they are, anything else as compact JSON."""
    if isinstance(item, str) and not isinstance(item, JsonNumber):
        return item
    return as_text(item) if not isinstance(item, (dict, list)) else go_json(item)


def item_variables(item: Any) -> dict:
    values = {"item": item_value(item) if item is not None else "null"}
    if isinstance(item, dict):
        for key, value in item.items():
            values[f"item.{key}"] = json_text(value)
    return values


def item_description(item: Any) -> str:
    if isinstance(item, dict):
        desc = ",".join(sorted(f"{k}:{json_text(v)}" for k, v in item.items()))
    elif isinstance(item, list):
        desc = "[" + " ".join(json_text(v) for v in item) + "]"
    else:
        desc = json_text(item)
    return desc.replace("(", "").replace(")", "")


def item_name(name: str, index: int, item: Any) -> str:
    return f"{name}({index}:{item_description(item)})"


_GO_INT_VERB = re.compile(r"%([-+ #0]*)(\d*)([dxXobcvsq])")


def go_format_int(fmt: str, value: int) -> str:
    """fmt.Sprintf(format, value) for one integer, with the verbs sequences use."""
    def one(match):
        flags, width, verb = match.groups()
        if verb in "dv":
            body = str(abs(value))
        elif verb == "x":
            body = format(abs(value), "x")
        elif verb == "X":
            body = format(abs(value), "X")
        elif verb == "o":
            body = format(abs(value), "o")
        elif verb == "b":
            body = format(abs(value), "b")
        elif verb == "c":
            return chr(value) if 0 <= value < 0x110000 else "\ufffd"
        else:
            return f"%!{verb}(int={value})"
        sign = "-" if value < 0 else ("+" if "+" in flags else (" " if " " in flags else ""))
        if "#" in flags and verb in "xX":
            body = ("0x" if verb == "x" else "0X") + body
        text = sign + body
        size = int(width) if width and len(width) < 5 else 0  # a width of 10**9 would build 1 GB per item
        if len(text) < size:
            if "-" in flags:
                text = text.ljust(size)
            elif "0" in flags:
                text = sign + body.rjust(size - len(sign), "0")
            else:
                text = text.rjust(size)
        return text

    out, count = _GO_INT_VERB.subn(one, fmt.replace("%%", "\0"))
    out = out.replace("\0", "%")
    return out if count else fmt + f"%!(EXTRA int={value})"


def _int(value: Any, field: str) -> int:
    text = as_text(value)
    try:
        number = int(text) if len(text) < 40 else None  # int() of 10,000 digits raises; Go's int is 64-bit
    except (TypeError, ValueError):
        raise LoopError(f"failed to parse withSequence.{field} '{text}': not an integer") from None
    if number is None or not -(1 << 63) <= number < (1 << 63):
        raise LoopError(f"failed to parse withSequence.{field} '{text}': value out of range")
    return number


def sequence_items(sequence: Any, max_items: int) -> list:
    if not isinstance(sequence, dict):
        raise LoopError("withSequence must be a mapping of start, end or count, and format")
    if "count" in sequence and "end" in sequence:
        raise LoopError("withSequence: only one of count or end can be defined")
    start = _int(sequence.get("start", 0), "start") if sequence.get("start") is not None else 0
    fmt = as_text(sequence.get("format")) if sequence.get("format") is not None else None
    if sequence.get("count") is not None:
        count = _int(sequence["count"], "count")
        if count < 0:
            raise LoopError(f"withSequence.count must be positive, got {count}")
        numbers = range(start, start + count)
    elif sequence.get("end") is not None:
        end = _int(sequence["end"], "end")
        count = abs(end - start) + 1
        numbers = range(start, end + 1) if start <= end else range(start, end - 1, -1)
    else:
        raise LoopError("withSequence: one of count or end must be defined")
    if count > max_items:  # not len(numbers): a range of 2**64 numbers has no len()
        raise TooManyItems(f"withSequence of {count} items is over the limit of {max_items} "
                           "(--max-loop-items)")
    return [go_format_int(fmt, n) if fmt else str(n) for n in numbers]


def loop_items(step: dict, max_items: int) -> Optional[list]:
    """The items of a (substituted) step's loop, None when it has no loop."""
    if "withItems" in step:
        items = step["withItems"]
        if isinstance(items, list):
            if not items:
                return None
            if len(items) > max_items:
                raise TooManyItems(f"withItems of {len(items)} items is over the limit of {max_items} "
                                   "(--max-loop-items)")
            return items
        raise LoopError(f"withItems must be a list, got {as_text(items)!r}")
    if "withParam" in step:
        source = step["withParam"]
        if isinstance(source, list):
            items = source
        else:
            text = as_text(source) or ""
            try:
                items = parse_json(text)
            except (ValueError, RecursionError) as exc:
                raise LoopError(f"withParam value could not be parsed as a JSON list: {text}: {exc}") from None
            if not isinstance(items, list):
                raise LoopError(f"withParam value could not be parsed as a JSON list: {text}: json: cannot unmarshal "
                                f"{type(items).__name__} into a list")
        if len(items) > max_items:
            raise TooManyItems(f"withParam of {len(items)} items is over the limit of {max_items} "
                               "(--max-loop-items)")
        return items
    if "withSequence" in step:
        return sequence_items(step["withSequence"], max_items)
    return None
