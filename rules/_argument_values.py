"""`invalid-value` for argument parameters as Argo's validateArgumentsValues sees them:
the `valueFrom` sources an argument may use, an empty `enum`, and a step's or task's
argument whose value is outside its own `enum` (spec.arguments' own enums are checked with
the inputs', in analysis/templating/arguments.py)."""

from __future__ import annotations

from typing import Iterator

from argolint.diagnostics import Finding, did_you_mean, quoted_list
from argolint.rules._pod_templates import as_list, blank, call_arguments

# valueFrom sources that only outputs have: an argument is a value given, not one read.
OUTPUT_SOURCES = ("path", "jsonPath", "jqFilter", "parameter", "expression")
ARGUMENT_SOURCES = ("configMapKeyRef", "supplied", "event")


def findings(ctx) -> Iterator[Finding]:
    spec = ctx.spec
    if "parameters" in spec.arguments:
        yield from _parameters(spec.arguments, spec.path + ("arguments",), None)
    for arguments, path, owner in call_arguments(ctx):
        if "parameters" in arguments:
            yield from _parameters(arguments, path, owner)


def _parameters(arguments: dict, path: tuple, owner) -> Iterator[Finding]:
    """`owner` is the step or task ("step 'a'") passing the arguments; None for spec.arguments,
    whose own enums are checked elsewhere."""
    for i, param in enumerate(as_list(arguments.get("parameters"))):
        if not isinstance(param, dict) or ("valueFrom" not in param and "enum" not in param):
            continue  # most arguments: a name and a value
        where = path + ("parameters", i)
        name = param.get("name")
        named = (f"argument '{name}'" if isinstance(name, str) else "an argument") + f" of {owner}" if owner else \
            (f"workflow parameter '{name}'" if isinstance(name, str) else "a workflow parameter")
        value_from = param.get("valueFrom")
        if isinstance(value_from, dict):
            used = [k for k in OUTPUT_SOURCES if not blank(value_from.get(k))]
            if used:
                yield Finding(where + ("valueFrom", used[0]), f"`valueFrom.{used[0]}` is not allowed in an "
                              f"argument ({named}): arguments take `value`, or `valueFrom` with configMapKeyRef, "
                              "supplied or event", hint=_hint(used[0]), at="key")
            elif not any(value_from.get(k) is not None for k in ARGUMENT_SOURCES):
                yield Finding(where + ("valueFrom",), f"the valueFrom of {named} names no source: arguments take "
                              "`value`, or `valueFrom` with configMapKeyRef, supplied or event",
                              hint="move `default` to `value:`" if "default" in value_from else None, at="key")
        enum = param.get("enum")
        if isinstance(enum, list) and not enum:
            yield Finding(where + ("enum",), f"{named} has an empty `enum`: no value would be allowed",
                          hint="list the allowed values, or remove `enum`")
        elif owner and isinstance(enum, list) and "value" in param:
            value = param.get("value")
            if value is None or isinstance(value, (dict, list)) or "{{" in str(value):
                continue
            from argolint.analysis.templating.arguments import as_text

            allowed = [as_text(v) for v in enum if v is not None]
            if as_text(value) not in allowed:
                yield Finding(where + ("value",), f"'{as_text(value)}' is not one of the values {named} allows in "
                              f"its enum: {quoted_list(allowed)}", hint=did_you_mean(as_text(value), allowed))


def _hint(source: str) -> str:
    if source in ("parameter", "expression"):
        return "pass the value itself: value: \"{{steps.<step>.outputs.parameters.<name>}}\" (or {{= ...}})"
    return "read the file in the template that writes it (an output parameter), and pass that output here"
