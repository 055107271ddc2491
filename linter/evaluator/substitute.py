"""Replace `{{...}}` tags the way Argo's template engine does (argo-semantics §1).

Argo serialises an object to JSON and replaces tags in that text; here every string value
and mapping key is replaced in place, which gives the same result for every object whose
tags do not straddle two fields. Three strictness modes (§1.4):

  LENIENT        unknown names keep their tag, byte for byte, for a later pass
  PREFIX_STRICT  the step/task pass: a missing `steps.*` / `tasks.*` name is recorded in
                 `missing` (the controller requeues and waits); others keep their tag
  STRICT         the loop pass: any name left is an error

A name that holds `None` (an absent optional) is an error in every mode. Errors raise
`SubstitutionError` with the offending tag and the path of the string it sits in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from argolint.evaluator.budget import active
from argolint.evaluator.exprlang import ExprError, evaluate, render
from argolint.evaluator.variables import Vars
from argolint.analysis.templating.tags import Tag, scan

LENIENT, PREFIX_STRICT, STRICT = "lenient", "prefix-strict", "strict"
_LATE = ("steps", "tasks")


@dataclass(frozen=True)
class Reference:
    """A tag (or a variable inside an expression tag) at a place: `text` is what to show,
    `tag` the full tag it sits in, `inner` the offset of `text` inside the tag."""

    text: str
    tag: str
    path: tuple
    inner: int = 0
    at: str = "value"


class SubstitutionError(Exception):
    def __init__(self, message: str, reference: Optional[Reference] = None):
        super().__init__(message)
        self.message = message
        self.reference = reference


def _late(key: str) -> bool:
    return key in _LATE or key.startswith("steps.") or key.startswith("tasks.")


class Substituter:
    """Replaces tags with values of `vars` in one mode; records missing step/task names."""

    def __init__(self, vars: Vars, mode: str, now: Optional[datetime] = None, absent_ok: bool = False,
                 resolved: Optional[set] = None, document: Any = None):
        self.vars = vars
        self.mode = mode
        self.now = now
        self.absent_ok = absent_ok  # keep the tag of an absent optional instead of failing
        self.missing: list[Reference] = []
        # tags replaced, as (id(document), path, tag text): the dry run knows their fate
        self.resolved = resolved
        self.document = document

    # -- objects

    def data(self, value: Any, path: tuple = (), skip: tuple = ()) -> Any:
        """A copy of `value` with every string (and key) substituted; keys in `skip` are
        copied as they are."""
        if isinstance(value, str):
            return self.text(value, path) if "{{" in value else value
        if isinstance(value, dict):
            text, data = self.text, self.data
            out = {}
            for key, item in value.items():
                if skip and key in skip:
                    out[key] = item
                    continue
                if isinstance(key, str) and "{{" in key:
                    key_out = text(key, path + (key,), at="key")
                else:
                    key_out = key
                if isinstance(item, str):
                    out[key_out] = text(item, path + (key,)) if "{{" in item else item
                elif isinstance(item, (dict, list)):
                    out[key_out] = data(item, path + (key,))
                else:
                    out[key_out] = item
            return out
        if isinstance(value, list):
            text, data = self.text, self.data
            out_list = []
            append = out_list.append
            for i, item in enumerate(value):
                if isinstance(item, str):
                    append(text(item, path + (i,)) if "{{" in item else item)
                elif isinstance(item, (dict, list)):
                    append(data(item, path + (i,)))
                else:
                    append(item)
            return out_list
        return value

    # -- one string

    def text(self, value: str, path: tuple = (), at: str = "value") -> str:
        if "{{" not in value:
            return value
        result = scan(value)
        if result.unclosed is not None:
            raise SubstitutionError(f"Cannot find end tag=\"}}}}\" in the template=\"{value}\" starting from "
                                    f"\"{value[result.unclosed:]}\"",
                                    Reference(value[result.unclosed:result.unclosed + 2], "{{", path, 0, at))
        out = []
        pos = 0
        for tag in result.tags:
            out.append(value[pos:tag.start])
            pos = tag.end
            if tag.is_expression:
                out.append(self._expression(tag, path, at))
            else:
                out.append(self._simple(tag, path, at))
        out.append(value[pos:])
        text = "".join(out)
        budget = active()
        if budget is not None:
            budget.value(len(text))
        return text

    def _simple(self, tag: Tag, path: tuple, at: str) -> str:
        key = tag.key
        found, value = self.vars.lookup(key)
        reference = Reference(tag.text, tag.text, path, 0, at)
        if found:
            if value is None:
                if self.absent_ok:
                    return tag.text
                raise SubstitutionError(f"unable to substitute {{{{{key}}}}}: the output is an absent optional (a "
                                        "skipped or omitted node produced no value and no default is declared)",
                                        reference)
            if tag.nested:
                return "{{" + tag.content[:tag.content.rfind("{{")] + value
            if self.resolved is not None:
                self.resolved.add((id(self.document), path, tag.text))
            return value
        if self.mode == STRICT and not self.absent_ok:
            raise SubstitutionError(f"failed to resolve {{{{{key}}}}}", reference)
        if self.mode == PREFIX_STRICT and _late(key) and ".outputs.artifacts." not in key:
            self.missing.append(reference)
        return tag.text

    def _expression(self, tag: Tag, path: tuple, at: str) -> str:
        from argolint.analysis.templating.expr import references, try_parse_expr

        source = tag.expression
        whole = Reference(tag.text, tag.text, path, 0, at)
        tree, error = try_parse_expr(source)
        if error is not None:
            if self.mode == LENIENT:
                return tag.text
            raise SubstitutionError(f"failed to evaluate expression: {error.message}", whole)
        refs = [ref for ref in references(tree) if ref.path[0] != "sprig"]
        # an unknown root name does not compile, even left of `??`; a missing member is nil
        missing = [ref for ref in refs if not self.vars.has_path(ref.path[:1] if ref.guarded else ref.path)]
        if missing:
            if self.mode == LENIENT:
                return tag.text
            late = [ref for ref in missing if ref.path[0] in _LATE]
            if self.mode == PREFIX_STRICT:
                for ref in late:
                    self.missing.append(Reference(source[ref.start:ref.end], tag.text, path, 3 + ref.start, at))
                return tag.text
            first = missing[0]
            raise SubstitutionError(f"failed to evaluate expression: unknown name {'.'.join(first.path)}",
                                    Reference(source[first.start:first.end], tag.text, path, 3 + first.start, at))
        try:
            result = evaluate(tree, self.vars.env(), self.now)
        except ExprError as exc:
            if self.mode == LENIENT:
                return tag.text
            raise SubstitutionError(f"failed to evaluate expression: {exc}", whole) from None
        if result is None:
            if self.mode == LENIENT:
                return tag.text
            raise SubstitutionError(f"failed to evaluate expression '{source.strip()}': the result is nil", whole)
        if self.resolved is not None:
            self.resolved.add((id(self.document), path, tag.text))
        return render(result)


def leftovers(value: Any, path: tuple = (), skip: tuple = ()) -> list[Reference]:
    """Every tag still in `value` (strings and keys), with its path."""
    out: list[Reference] = []
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "{{" in item:
                for tag in scan(item).tags:
                    out.append(Reference(tag.text, tag.text, where))
        elif isinstance(item, dict):
            for key, sub in reversed(list(item.items())):
                if key in skip and where == path:
                    continue
                if isinstance(key, str) and "{{" in key:
                    for tag in scan(key).tags:
                        out.append(Reference(tag.text, tag.text, where + (key,), 0, "key"))
                if _may_hold_tags(sub):
                    stack.append((sub, where + (key,)))
        elif isinstance(item, list):
            for i in range(len(item) - 1, -1, -1):
                if _may_hold_tags(item[i]):
                    stack.append((item[i], where + (i,)))
    return out


def _may_hold_tags(value: Any) -> bool:
    """Whether `leftovers` must visit `value`: no path is built for the others."""
    return isinstance(value, (dict, list)) or (isinstance(value, str) and "{{" in value)


def substitute(value: Any, vars: Vars, mode: str = LENIENT, path: tuple = (), now: Optional[datetime] = None,
               skip: tuple = ()) -> Any:
    """`value` with its tags replaced; raises SubstitutionError (PREFIX_STRICT callers that
    need the missing names use a Substituter)."""
    return Substituter(vars, mode, now).data(value, path, skip)
