"""jsonschema, extended for Argo: a validator per kind, compiled once per process.

The extensions, each replacing one keyword of Draft 2020-12:
- `type`: null is accepted anywhere (Go decodes it as the zero value), and a string holding
  a `{{...}}` tag is accepted where a number or boolean is expected (Argo substitutes it
  before the value is used);
- `additionalProperties: false`: one error per unknown key, its path ending at that key;
- `required`: one error per missing field, the field in `validator_value`;
- `enum`: tags and empty strings (Go's "unset") pass;
- `format`: the checks of `formats.py`, with their own messages;
- `propertyNames`: a format check of each key of a map, the error's path ending at the key;
- `properties`, `items`, `additionalProperties` descend with `_apply` below instead of
  `Validator.descend`, which builds a new validator and a new reference resolver for every
  node visited (two thirds of the time on the upstream examples). That is safe because the
  loaded schema has its `$ref`s replaced by the definitions themselves (`_inline_refs`), so
  no keyword needs a resolver. Each schema object is turned once into a plan of its
  keywords (`_entry`) in which the common valid cases pass without a call, and our
  keywords return lists (empty on valid data) rather than generators: a valid node costs
  a few operations, not a generator per keyword and level. Errors still come from the
  keyword functions.

jsonschema is imported here and nowhere else at a module's level, and only when a document
may have an error: `iter_errors` first offers the document to the acceptors below without
a validator (`validator=None`); only a document they cannot pass, or a keyword that needs
jsonschema's own code (`oneOf`, `pattern` ...), loads jsonschema (~70 ms per process) and is
validated by it as before, so errors are found exactly as before. Valid documents are the
common case: the upstream examples are all accepted without it.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from itertools import chain, repeat
from operator import ge
from typing import Iterator, Optional

from argolint.schema import formats

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "argo-schema.json")
REF_PREFIX = "#/$defs/"
_SUBSTITUTED_TYPES = frozenset({"integer", "number", "boolean"})
_NO_SCHEMA_PATH = frozenset({"if", "$ref"})
# `type` names whose Python type is exact (no bool-is-an-int or integral-float subtlety).
_EXACT_TYPES = {"string": str, "object": dict, "array": list}
_NONE = ()
_PLANS: dict = {}  # id(schema) -> (schema, plan, leaf, fields): see _entry

# The keywords Draft 2020-12 validates (`Draft202012Validator.VALIDATORS`; a test keeps the
# two equal), known without importing jsonschema.
DRAFT_2020_12_KEYWORDS = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains", "dependentRequired",
    "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "if", "items", "maxItems",
    "maxLength", "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum", "multipleOf",
    "not", "oneOf", "pattern", "patternProperties", "prefixItems", "properties", "propertyNames", "required",
    "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
})


class NeedsValidator(Exception):
    """Raised while a document is offered to the acceptors without a validator (see
    `iter_errors`): it may have an error, or a keyword needs jsonschema's own code."""


def _error(message: str, **fields):
    from jsonschema import ValidationError

    return ValidationError(message, **fields)


# Size keywords whose valid case is plain to see, so that it needs no jsonschema: (the type
# jsonschema applies the keyword to, whether a valid size is at least the bound).
_SIZES = {"minItems": (list, True), "maxItems": (list, False), "minProperties": (dict, True),
          "maxProperties": (dict, False), "minLength": (str, True), "maxLength": (str, False)}
_BOUNDS = {"minimum", "maximum"}  # of numbers (not booleans), as jsonschema applies them


def _deferred(keyword: str):
    """jsonschema's function for `keyword`, imported on the first call with a validator.
    Without one (see `iter_errors`), a size or bound keyword passes a value within it;
    anything else stops the validator-free pass."""
    size = _SIZES.get(keyword)
    bound = keyword if keyword in _BOUNDS else None

    def check(validator, value, instance, schema):
        if validator is None:
            if size is not None and (not isinstance(instance, size[0])
                                     or (len(instance) >= value if size[1] else len(instance) <= value)):
                return _NONE
            if bound is not None and (not isinstance(instance, (int, float)) or isinstance(instance, bool)
                                      or (instance >= value if bound == "minimum" else instance <= value)):
                return _NONE
            raise NeedsValidator(keyword)
        return argo_validator_class().VALIDATORS[keyword](validator, value, instance, schema)

    return check


@lru_cache(maxsize=1)
def _keywords() -> dict:
    """keyword -> its function: ours, else jsonschema's (deferred)."""
    return {keyword: OWN_KEYWORDS.get(keyword) or _deferred(keyword) for keyword in DRAFT_2020_12_KEYWORDS}


def _is_type(instance, name: str) -> bool:
    if name == "string":
        return isinstance(instance, str)
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "integer":
        return (isinstance(instance, int) and not isinstance(instance, bool)) or (
            isinstance(instance, float) and instance.is_integer())
    if name == "number":
        return isinstance(instance, (int, float)) and not isinstance(instance, bool)
    return name == "null" and instance is None


# How a plan entry lets the common valid case pass without calling its keyword (see _entry).
_CALL, _ACCEPTS, _WITHIN, _NEEDS, _FORMAT, _FIELDS, _ELEMENTS = range(7)


def _entry(schema: dict) -> tuple:
    """(schema, plan, leaf, fields, named) for a schema object, computed once.

    The plan lists the keywords of `schema` that have a validator, as (keyword, check,
    value, shortcut, arg): `shortcut` says how a valid value passes without a call to the
    keyword's function (_CALL: it does not) --
      _ACCEPTS  `type` naming string, object or array: an instance of `arg` (or null) passes;
      _WITHIN   `additionalProperties: false`: an object whose keys are all in `arg` passes;
      _NEEDS    `required`: an object that has every field of `arg` passes;
      _FORMAT   `format`: a string without a tag that the check `arg` accepts passes;
      _FIELDS   `properties`: descends into the fields without calling `_properties`;
      _ELEMENTS `items`: descends into the items without calling `_items`.
    Anything else goes to the keyword's function, which finds the error.

    `leaf` is the `arg` of a schema whose only keyword is `type` (`{"type": "string"}`,
    the commonest), else None; `named` the check of a string schema with a `format` (a
    name, a duration ...), else None. `fields` is set for the usual object schema, whose keywords
    are `type: object`, `properties` and at most `additionalProperties: false` and
    `required`: (properties entry, within, needs). An object that passes `within` and
    `needs` can only fail in its fields, so its errors are those of `properties` alone."""
    entry = _PLANS.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry
    keywords = _keywords()
    plan = []
    for keyword, value in schema.items():
        check = keywords.get(keyword)
        if check is None:
            continue
        shortcut, arg = _CALL, None
        if check is _type and _exact_types(value):
            shortcut, arg = _ACCEPTS, (*_exact_types(value), type(None))
        elif check is _additional_properties and value is False:
            shortcut, arg = _WITHIN, frozenset(schema.get("properties", {}))
        elif check is _required and isinstance(value, list) and all(isinstance(f, str) for f in value):
            shortcut, arg = _NEEDS, frozenset(value)
        elif check is _format and formats.CHECKS.get(value) is not None:
            shortcut, arg = _FORMAT, formats.CHECKS[value]
        elif check is _properties and isinstance(value, dict):
            shortcut = _FIELDS
        elif check is _items and isinstance(value, dict):
            shortcut = _ELEMENTS
        plan.append((keyword, check, value, shortcut, arg))
    leaf = plan[0][4] if len(plan) == 1 and plan[0][3] == _ACCEPTS else None
    shortcuts = {item[3]: item for item in plan}
    named = None  # `{"type": "string", "format": ...}`: a name, a duration ...
    if len(plan) == 2 and shortcuts.keys() == {_ACCEPTS, _FORMAT} and shortcuts[_ACCEPTS][4] == (str, type(None)):
        named = shortcuts[_FORMAT][4]
    fields = None
    if (len(shortcuts) == len(plan) and set(shortcuts) <= {_ACCEPTS, _WITHIN, _NEEDS, _FIELDS}
            and _FIELDS in shortcuts and schema.get("type") == "object"):
        within, needs = shortcuts.get(_WITHIN), shortcuts.get(_NEEDS)
        fields = (shortcuts[_FIELDS], within[4] if within else None, needs[4] if needs else None)
    # the entry holds the schema, so its id cannot be reused while the entry lives
    entry = _PLANS[id(schema)] = (schema, tuple(plan), leaf, fields, named)
    return entry


def _exact_types(types) -> tuple:
    """The Python types of the names in a `type` keyword that map exactly (see _EXACT_TYPES)."""
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return tuple(_EXACT_TYPES[name] for name in names if name in _EXACT_TYPES)


def _apply(validator, instance, entry: tuple, path) -> list:
    """The errors of `instance` against the schema of `entry`, each with `path` (the key or
    index of the instance in its parent) prepended, as `descend` does."""
    schema, plan, _, fields, _ = entry
    if fields is not None and isinstance(instance, dict):
        item, within, needs = fields
        keys = instance.keys()
        if (within is None or keys <= within) and (needs is None or keys >= needs):
            errors = _fields(validator, instance, item[2])
            if not errors:
                return _NONE
            return _adopt(validator, errors, item[0], item[2], instance, schema, path, None)
    found = None
    for keyword, check, value, shortcut, arg in plan:
        if shortcut == _FIELDS:
            if not isinstance(instance, dict):
                continue
            errors = _fields(validator, instance, value)
        elif shortcut == _ELEMENTS:
            if not isinstance(instance, list):
                continue
            errors = _elements(validator, instance, value)
        else:
            if shortcut == _ACCEPTS:
                if isinstance(instance, arg):
                    continue
            elif shortcut == _WITHIN:
                if not isinstance(instance, dict) or instance.keys() <= arg:
                    continue
            elif shortcut == _NEEDS:
                if not isinstance(instance, dict) or instance.keys() >= arg:
                    continue
            elif shortcut == _FORMAT:
                if isinstance(instance, str) and "{{" not in instance and arg(instance) is None:
                    continue
            errors = check(validator, value, instance, schema)
        if errors:  # () or [] from our keywords; jsonschema's own yield (and are truthy)
            found = _adopt(validator, errors, keyword, value, instance, schema, path, found)
    return found or _NONE


def _adopt(validator, errors, keyword: str, value, instance, schema: dict, path, found) -> Optional[list]:
    """Add the errors of one keyword to `found` (a list or None, returned), completed as
    `descend` does: the keyword, the instance, the path."""
    if validator is None:
        raise NeedsValidator(keyword)
    for error in errors:
        error._set(validator=keyword, validator_value=value, instance=instance, schema=schema,
                   type_checker=validator.TYPE_CHECKER)
        if keyword not in _NO_SCHEMA_PATH:
            error.schema_path.appendleft(keyword)
        error.path.appendleft(path)
        error.schema_path.appendleft(path)
        if found is None:
            found = []
        found.append(error)
    return found


_ACCEPTORS: dict = {}  # id(schema) -> its acceptor (the schema is kept alive by _PLANS)


def _acceptor(schema: dict):
    """A function (value, validator) -> bool telling, as cheaply as possible, that a value
    passes `schema` with no error; False sends the value through `_apply`, which finds
    the errors (or none). Valid manifests are the common case: a DAG of thousands of
    tasks is accepted in one call per node, without building error lists or paths.

    The plain shapes, most of the schema, get a function of their own: a typed leaf, a
    string with a format (names, durations ...), an object whose keywords are `type`,
    `properties`, `additionalProperties: false` and `required`, and a typed list. Every
    other schema is accepted when `_apply` finds no error in it."""
    accept = _ACCEPTORS.get(id(schema))
    if accept is None:
        accept = _ACCEPTORS[id(schema)] = _new_acceptor(schema)
    return accept


def _new_acceptor(schema: dict):
    entry = _entry(schema)
    _, plan, leaf, fields, named = entry
    if leaf is not None:
        return lambda value, validator: isinstance(value, leaf)
    if named is not None:
        return lambda value, validator: value is None or (isinstance(value, str) and "{{" not in value
                                                          and named(value) is None)
    if fields is not None:
        return _object_acceptor(fields)
    items = _list_items(plan)
    if items is not None:
        return _list_acceptor(items)
    return lambda value, validator: not _apply(validator, value, entry, None)


def _list_items(plan: tuple) -> Optional[dict]:
    """The `items` schema of a plain typed list (keywords `type: array` and `items`), else None."""
    shortcuts = [item[3] for item in plan]
    if sorted(shortcuts) == [_ACCEPTS, _ELEMENTS] and plan[shortcuts.index(_ACCEPTS)][4] == (list, type(None)):
        return plan[shortcuts.index(_ELEMENTS)][2]
    return None


def _object_acceptor(fields: tuple):
    item, within, needs = fields
    properties = item[2]
    # field name -> (types, None, None) for a typed leaf and (None, format check, None) for
    # a string with a format, both checked here without a call, else (None, None,
    # acceptor); made on first use (the schema is recursive)
    children: dict = {}

    def accept(value, validator) -> bool:
        if not isinstance(value, dict):
            return value is None
        keys = value.keys()
        if (within is not None and not keys <= within) or (needs is not None and not keys >= needs):
            return False
        for name, field in value.items():
            child = children.get(name)
            if child is None:
                subschema = properties.get(name)
                if subschema is None:
                    continue  # a key `properties` does not describe, allowed (no `within`)
                _, _, leaf, _, named = _entry(subschema)
                child = children[name] = (leaf, named, None if leaf or named else _acceptor(subschema))
            types, named, check = child
            if types is not None:
                if not isinstance(field, types):
                    return False
            elif named is not None:
                if field is not None and not (isinstance(field, str) and "{{" not in field and named(field) is None):
                    return False
            elif not check(field, validator):
                return False
        return True

    return accept


def _list_acceptor(items: dict):
    def accept(value, validator) -> bool:
        if not isinstance(value, list):
            return value is None
        return _each_acceptor(items)(value, validator)

    return accept


_EACH_ACCEPTORS: dict = {}  # id(schema) -> its acceptor of lists of values (kept alive by _PLANS)


def _each_acceptor(schema: dict):
    """A function (values, validator) -> bool: whether `_acceptor(schema)` takes every one
    of a list of values. The items of a list are taken together, a field at a time: for
    the thousands of tasks of a large DAG, one check per field name of all their names,
    all their templates ... (mostly loops in C) instead of one call per task and field."""
    accept_each = _EACH_ACCEPTORS.get(id(schema))
    if accept_each is None:
        accept_each = _EACH_ACCEPTORS[id(schema)] = _new_each_acceptor(schema)
    return accept_each


def _new_each_acceptor(schema: dict):
    _, plan, leaf, fields, named = _entry(schema)
    if leaf is not None:
        return lambda values, validator: all(map(isinstance, values, repeat(leaf)))
    if named is not None:
        return _format_column(named)
    if fields is not None:
        return _object_columns(fields, _acceptor(schema))
    items = _list_items(plan)
    if items is not None:
        return _list_columns(items, _acceptor(schema))
    accept = _acceptor(schema)
    return lambda values, validator: all(map(accept, values, repeat(validator)))


def _format_column(check):
    pattern, longest = formats.PASSES.get(check, (None, None))

    def accept_each(values: list, validator) -> bool:
        strings = [value for value in values if value is not None]
        if not all(map(isinstance, strings, repeat(str))) or any(map(str.__contains__, strings, repeat("{{"))):
            return False
        if (pattern is not None and all(map(pattern.fullmatch, strings))
                and (longest is None or max(map(len, strings), default=0) <= longest)):
            return True
        return not any(map(check, strings))

    return accept_each


def _object_columns(fields: tuple, accept):
    item, within, needs = fields
    properties = item[2]

    def accept_each(values: list, validator) -> bool:
        if not all(map(isinstance, values, repeat(dict))):
            return all(map(accept, values, repeat(validator)))  # nulls among them (or errors)
        keys = set().union(*values)
        if within is not None and not keys <= within:
            return False
        if needs is not None and not all(map(ge, map(dict.keys, values), repeat(needs))):
            return False
        for name in keys:
            subschema = properties.get(name)
            if subschema is not None:
                column = [value[name] for value in values if name in value]
                if not _each_acceptor(subschema)(column, validator):
                    return False
        return True

    return accept_each


def _list_columns(items: dict, accept):
    def accept_each(values: list, validator) -> bool:
        if not all(map(isinstance, values, repeat(list))):
            return all(map(accept, values, repeat(validator)))  # nulls among them (or errors)
        return _each_acceptor(items)(list(chain.from_iterable(values)), validator)

    return accept_each


def _descend(validator, value, subschema: dict, name) -> list:
    """What `Validator.descend` does, minus the new validator and resolver per node. The
    errors come back as a list (empty: the common case, no generator is made); a value
    its acceptor takes is valid without a call."""
    if _acceptor(subschema)(value, validator):
        return _NONE
    return _apply(validator, value, _entry(subschema), name)


def _fields(validator, instance: dict, properties: dict) -> list:
    """The errors of the fields of `instance` that `properties` describes."""
    found = None
    if len(instance) < len(properties):  # the usual object sets a few of many fields
        failed = 0
        for name, value in instance.items():
            subschema = properties.get(name)
            if subschema is None or _acceptor(subschema)(value, validator):
                continue
            errors = _apply(validator, value, _entry(subschema), name)
            if errors:
                failed += 1
                found = errors if found is None else found + errors
        if failed > 1:  # in the order of the schema's properties, as jsonschema yields them
            order = {name: i for i, name in enumerate(properties)}
            found.sort(key=lambda error: order[error.path[0]])
    else:
        for name, subschema in properties.items():
            if name in instance:
                errors = _descend(validator, instance[name], subschema, name)
                if errors:
                    found = errors if found is None else found + errors
    return found or _NONE


def _elements(validator, instance: list, items: dict) -> list:
    """The errors of the items of a list, all described by `items`."""
    accept = _acceptor(items)
    found = None
    for index, item in enumerate(instance):
        if accept(item, validator):
            continue
        errors = _apply(validator, item, _entry(items), index)
        if errors:
            found = errors if found is None else found + errors
    return found or _NONE


def _type(validator, types, instance, schema):
    if instance is None:
        return _NONE
    if isinstance(types, str):
        if _is_type(instance, types):
            return _NONE
        types = (types,)
    elif any(_is_type(instance, t) for t in types):
        return _NONE
    if isinstance(instance, str) and "{{" in instance and not _SUBSTITUTED_TYPES.isdisjoint(types):
        return _NONE
    return [_error(f"{instance!r} is not of type {', '.join(types)}", validator_value=list(types))]


def _properties(validator, properties, instance, schema):
    if not isinstance(instance, dict):
        return _NONE
    return _fields(validator, instance, properties)


def _items(validator, items, instance, schema):
    if not isinstance(instance, list) or not isinstance(items, dict):
        return _NONE
    return _elements(validator, instance, items)


def _additional_properties(validator, allowed, instance, schema):
    if not isinstance(instance, dict):
        return _NONE
    known = schema.get("properties", {})
    found = None
    if allowed is False:
        for key in instance:
            if key not in known:
                if found is None:
                    found = []
                found.append(_error(f"unknown field {key!r}", path=(key,), validator_value=key))
    elif isinstance(allowed, dict):
        for key, value in instance.items():
            if key not in known:
                errors = _descend(validator, value, allowed, key)
                if errors:
                    found = errors if found is None else found + errors
    return found or _NONE


def _property_names(validator, names, instance, schema):
    """Keys checked by a format (e.g. resource names); errors point at each key."""
    if not isinstance(instance, dict) or not isinstance(names, dict):
        return _NONE
    found = []
    for key in instance:
        problem = formats.check(names.get("format"), key)
        if problem:
            found.append(_error(problem, path=(key,), validator_value=names.get("format")))
    return found


def _required(validator, required, instance, schema):
    if not isinstance(instance, dict):
        return _NONE
    return [_error(f"{field!r} is required", validator_value=field)
            for field in required if field not in instance]


def _enum(validator, allowed, instance, schema):
    if instance is None or instance == "" or formats.has_tag(instance) or instance in allowed:
        return _NONE
    return [_error(f"{instance!r} is not one of {allowed!r}")]


def _format(validator, name, instance, schema):
    if instance is None:
        return _NONE
    problem = formats.check(name, instance)
    return [_error(problem)] if problem else _NONE


OWN_KEYWORDS = {
    "type": _type,
    "additionalProperties": _additional_properties,
    "required": _required,
    "enum": _enum,
    "format": _format,
    "properties": _properties,
    "items": _items,
    "propertyNames": _property_names,
}


@lru_cache(maxsize=1)
def argo_validator_class():
    """Draft 2020-12 with our keywords (imports jsonschema)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, OWN_KEYWORDS)


@lru_cache(maxsize=1)
def load_schema() -> dict:
    """The packaged schema, its `$ref`s replaced by the definitions they name."""
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        schema = json.load(fh)
    _inline_refs(schema["$defs"])
    return schema


def _inline_refs(defs: dict) -> None:
    """Replace each `{"$ref": "#/$defs/X"}` by the object `defs["X"]` (the graph becomes
    cyclic where the schema is recursive, e.g. Template -> DAGTask.inline -> Template)."""

    def target(node):
        if isinstance(node, dict) and len(node) == 1 and isinstance(node.get("$ref"), str) \
                and node["$ref"].startswith(REF_PREFIX):
            return defs[node["$ref"][len(REF_PREFIX):]]
        return None

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                replacement = target(value)
                if replacement is not None:
                    node[key] = replacement
                else:
                    walk(value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                replacement = target(value)
                if replacement is not None:
                    node[i] = replacement
                else:
                    walk(value)

    for definition in defs.values():
        walk(definition)


def _definition(kind: str) -> Optional[dict]:
    schema = load_schema()
    name = schema["x-kinds"].get(kind)
    return None if name is None else schema["$defs"][name]


@lru_cache(maxsize=None)
def validator_for(kind: str):
    """The compiled validator of a kind's definition, or None for a kind the schema lacks."""
    definition = _definition(kind)
    return None if definition is None else argo_validator_class()(definition)


def definition_name(definition: dict) -> str | None:
    """The name under `$defs` of a definition object (for messages), or None."""
    return _names_by_id().get(id(definition))


@lru_cache(maxsize=1)
def _names_by_id() -> dict:
    return {id(d): name for name, d in load_schema()["$defs"].items()}


def iter_errors(kind: str, data) -> Iterator:
    """jsonschema's `ValidationError`s of a document of `kind` (none for a kind the schema
    lacks); jsonschema is only imported for a document the acceptors do not pass."""
    definition = _definition(kind)
    if definition is None:
        return iter(())
    try:
        if not _descend(None, data, definition, None):
            return iter(())
    except NeedsValidator:
        pass
    return validator_for(kind).iter_errors(data)
