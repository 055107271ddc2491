"""Turn jsonschema errors into findings: which rule, which span, what words.

One mistake gives one finding: errors are already produced at the deepest level (no
`anyOf` is left in the schema), an unknown key is not descended into, and a missing
field that an unknown key in the same object was probably meant to be is dropped
(`nmae:` gives an unknown-field with "did you mean 'name'?", not also a missing-field).
"""

from __future__ import annotations

import json
from typing import Optional

from argolint.diagnostics import Finding
from argolint.diagnostics import closest, did_you_mean, quoted_list, suggest
from argolint.schema import validator as schema_validator
from argolint.schema.formats import SUGGESTIONS

UNKNOWN_FIELD = "unknown-field"
INVALID_TYPE = "invalid-type"
MISSING_FIELD = "missing-field"
INVALID_VALUE = "invalid-value"
RULES = (UNKNOWN_FIELD, INVALID_TYPE, MISSING_FIELD, INVALID_VALUE)

_ARTICLE = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
            "array": "a list", "object": "a mapping", "null": "null"}
_PLURAL = {"string": "strings", "integer": "integers", "number": "numbers", "boolean": "booleans",
           "array": "lists", "object": "mappings"}


def dotted(path) -> str:
    """`spec.templates[0].container` for a path tuple; `the document` for ()."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the document"


def found_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def expected_type(schema: dict, plural: bool = False) -> str:
    """Words for what a schema accepts: 'a list of strings', 'a mapping (Container)' ..."""
    name = schema_validator.definition_name(schema)
    types = schema.get("type")
    if types is None:
        return "any value"
    types = [types] if isinstance(types, str) else list(types)
    words = []
    for t in types:
        if t == "array" and isinstance(schema.get("items"), dict):
            words.append(("lists" if plural else "a list") + " of " + expected_type(schema["items"], plural=True))
        elif t == "object" and name:
            words.append(f"{_PLURAL[t] if plural else _ARTICLE[t]} ({name})")
        elif t == "object" and isinstance(schema.get("additionalProperties"), dict):
            inner = expected_type(schema["additionalProperties"], plural=True)
            words.append(("mappings" if plural else "a mapping") + f" of {inner}")
        else:
            words.append(_PLURAL.get(t, t) if plural else _ARTICLE.get(t, t))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def short_value(value) -> str:
    """A scalar as the user wrote it, quoted, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    else:
        text = str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"'{text}'"


def yaml_scalar(value) -> str:
    """A scalar written so that YAML reads it back as a string: JSON quoting when needed."""
    text = short_value(value)[1:-1]
    return text if text.replace("-", "").replace("_", "").replace(".", "").isalnum() else json.dumps(text)


def field_label(path) -> str:
    """How a message names the value at `path`: its key, `key[i]` for a list item, and
    `template name`, `step name` ... for the name of a list item."""
    if len(path) >= 2 and path[-2] == "metadata":
        return f"metadata.{path[-1]}"
    if len(path) >= 3 and path[-1] == "name" and isinstance(path[-2], int):
        owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), "")
        return (owner[:-1] if owner.endswith("s") else owner) + " name"
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], str):
            return "".join([path[i]] + [f"[{p}]" for p in path[i + 1:]])
    return "the document"


def classify(error) -> tuple[str, Finding]:
    """(rule id, finding) for one jsonschema error."""
    path = tuple(error.absolute_path)
    keyword = error.validator
    if error.context:  # anyOf/oneOf, should the models bring them back: the likeliest branch
        from jsonschema.exceptions import best_match

        return classify(best_match(error.context))
    if keyword == "additionalProperties":
        return UNKNOWN_FIELD, _unknown_field(error, path)
    if keyword == "required":
        return MISSING_FIELD, _missing_field(error, path)
    if keyword == "type":
        return INVALID_TYPE, _invalid_type(error, path)
    if keyword == "enum":
        return INVALID_VALUE, _invalid_enum(error, path)
    if keyword == "format":
        return INVALID_VALUE, Finding(path, f"{field_label(path)} {short_value(error.instance)} {error.message}")
    if keyword == "propertyNames":
        key = path[-1]
        return UNKNOWN_FIELD, Finding(path, f"'{key}' in {dotted(path[:-1])} {error.message}",
                                      hint=did_you_mean(key, SUGGESTIONS.get(error.validator_value, ())), at="key")
    if keyword == "minItems":
        return INVALID_VALUE, Finding(path, f"{field_label(path)} needs at least {error.validator_value} "
                                            f"item{'s' if error.validator_value != 1 else ''}; it is empty")
    if keyword in ("minProperties", "maxProperties"):
        return INVALID_VALUE, _property_count(error, path)
    if keyword == "minimum":
        return INVALID_VALUE, Finding(path, f"{field_label(path)} must be at least {error.validator_value}, "
                                            f"not {error.instance!r}")
    return INVALID_VALUE, Finding(path, f"{field_label(path)}: {error.message}")


def _unknown_field(error, path) -> Finding:
    key = error.validator_value
    owner = schema_validator.definition_name(error.schema) or "this object"
    valid = list(error.schema.get("properties", {}))
    where = dotted(path[:-1])
    removed = error.schema.get("x-removed", {}).get(key)
    if removed:
        return Finding(path, f"'{key}' is no longer a field of {owner}: {removed}",
                       hint=_removed_hint(key, error.instance.get(key)), at="key")
    return Finding(path, f"unknown field '{key}' in {where}: {owner} has no such field",
                   **_key_hint(key, valid, error.schema), at="key")


def _removed_hint(key: str, value) -> Optional[str]:
    if key == "schedule" and isinstance(value, str):
        return f"write `schedules: [{json.dumps(value)}]`"
    return None


def _key_hint(key: str, valid: list, schema: dict) -> dict:
    """The Finding's hint for an unknown key, and the replacement when it is a misspelling."""
    match = closest(key, valid)
    if match is not None and match.lower() == key.lower():
        return {"hint": f"'{key}' is spelled '{match}'", "suggestion": match, "suggestion_safe": True}
    # A key that exists word for word one level down was misplaced rather than misspelt.
    homes = _homes(key, schema)
    if homes:
        return {"hint": f"'{key}' is a field of {' or '.join(repr(h) for h in homes)}; move it there"}
    if match is not None:
        return suggest(key, valid)
    return {"hint": f"valid fields here: {quoted_list(valid)}"}


def _homes(key: str, schema: dict) -> list:
    """Fields of this object whose own object type has `key`: where a misplaced key belongs."""
    homes = []
    for field, sub in schema.get("properties", {}).items():
        if sub.get("type") == "array" and isinstance(sub.get("items"), dict):
            sub = sub["items"]
        if key in sub.get("properties", {}):
            homes.append(field)
    return homes[:3]


def _missing_field(error, path) -> Finding:
    field = error.validator_value
    owner = schema_validator.definition_name(error.schema) or "this object"
    where = dotted(path)
    # The document itself has no key: point at its `kind` rather than at all of it.
    anchor = path or ("kind",)
    return Finding(anchor, f"missing required field '{field}' in {where} ({owner})",
                   hint=f"add `{field}:` to {where}", at="key")


def _invalid_type(error, path) -> Finding:
    value = error.instance
    expected = expected_type(error.schema)
    label = field_label(path)
    hint = None
    if len(path) >= 2 and path[-2] == "steps" and isinstance(value, dict):
        hint = "each item of `steps` is a group of steps that run in parallel, itself a list: write `- - name: ...`"
    elif path and path[-1] in ("value", "default") and isinstance(value, (list, dict)):
        hint = f"pass it as a JSON string: {path[-1]}: '{json.dumps(value)}'"
    elif path and path[-1] == "env" and isinstance(value, dict):
        hint = "env is a list of name/value items: write `- name: VAR` and `value: ...` under it"
    elif expected.startswith("a list of mappings") and isinstance(value, dict):
        hint = "write it as a list item: put '- ' before its first key"
    elif expected.startswith("a list") and not isinstance(value, (list, dict)):
        if path and path[-1] in ("command", "args") and isinstance(value, str):
            hint = "each argument is one list item, e.g. [sh, -c, \"echo hi\"] or [echo, hi]"
        else:
            hint = f"write it as a list: [{yaml_scalar(value)}]"
    elif expected == "a boolean" and isinstance(value, str):
        hint = "write true or false, without quotes"
    elif expected in ("an integer", "a number") and isinstance(value, str) and _is_number(value):
        hint = f"write it without quotes: {value.strip()}"
    elif expected == "a string" and isinstance(value, (bool, int, float)):
        hint = f"quote it: \"{short_value(value)[1:-1]}\""
    shown = f" {short_value(value)}" if not isinstance(value, (list, dict)) else ""
    return Finding(path, f"{label} must be {expected}, found {found_type(value)}{shown}", hint=hint)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _invalid_enum(error, path) -> Finding:
    allowed = [a for a in error.validator_value if isinstance(a, str)]
    value = error.instance
    hint = did_you_mean(value, allowed) if isinstance(value, str) else None
    label = field_label(path)
    if len(path) >= 2 and isinstance(path[-2], str) and isinstance(path[-1], str):
        label = f"{path[-2]}.{path[-1]}"
    return Finding(path, f"{short_value(value)} is not a valid {label}: expected one of "
                         f"{', '.join(repr(a) for a in error.validator_value)}", hint=hint)


def _property_count(error, path) -> Finding:
    name = schema_validator.definition_name(error.schema)
    count = len(error.instance) if isinstance(error.instance, dict) else 0
    if name == "Plugin":
        return Finding(path, f"a plugin template names exactly one plugin; found {count} keys",
                       hint="write `plugin: {<plugin-name>: {...}}`")
    bound = error.validator_value
    which = "at least" if error.validator == "minProperties" else "at most"
    return Finding(path, f"{field_label(path)} must have {which} {bound} keys; found {count}")


def findings(kind: str, data) -> dict[str, list[Finding]]:
    """Every schema finding of a document, by rule id, cascades removed."""
    out: dict[str, list[Finding]] = {rule: [] for rule in RULES}
    unknown_keys: dict = {}
    classified = []
    for error in schema_validator.iter_errors(kind, data):
        rule, finding = classify(error)
        if rule == UNKNOWN_FIELD:
            unknown_keys.setdefault(finding.path[:-1], []).append(finding.path[-1])
        classified.append((rule, finding, error))
    for rule, finding, error in classified:
        if rule == MISSING_FIELD and _explained_by_unknown_key(
                error.validator_value, unknown_keys.get(tuple(error.absolute_path), ())):
            continue
        out[rule].append(finding)
    return out


def _explained_by_unknown_key(field: str, unknown: list) -> bool:
    return any(closest(key, [field]) == field for key in unknown)
