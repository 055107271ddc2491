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
from itertools import islice
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
    """Replaces tags with values of `vars` in one mode; records missing step/task names.

    The result shares every part of the value in which nothing changed: a container is
    copied only when a string, key or container inside it changed, so callers must not
    change the result (nor the value) in place."""

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
        self.left_tags = False  # whether a string or key walked by `data` or `along` still holds a tag

    # -- objects

    def data(self, value: Any, path: tuple = (), skip: tuple = ()) -> Any:
        """`value` with every string (and key) substituted; keys in `skip` are kept as they
        are. Parts where nothing changed are `value`'s own."""
        if isinstance(value, str):
            return self._changed(value, path) if "{{" in value else value
        if isinstance(value, dict):
            return self._dict(value, path, skip)
        if isinstance(value, list):
            return self._list(value, path)
        return value

    def _changed(self, value: str, path: tuple, at: str = "value") -> str:
        """`text`, or `value` itself when that is what it gives back."""
        out = self.text(value, path, at)
        if out == value:
            self.left_tags = True
            return value
        if "{{" in out:
            self.left_tags = True
        return out

    def _dict(self, value: dict, path: tuple, skip: tuple = ()) -> dict:
        out = None  # the copy, made at the first change
        rebuilt = False  # a key changed: `out` is refilled in order from there on
        for position, (key, item) in enumerate(value.items()):
            new, key_out = item, key
            if not (skip and key in skip):
                if isinstance(key, str) and "{{" in key:
                    key_out = self._changed(key, path + (key,), "key")
                if isinstance(item, str):
                    if "{{" in item:
                        new = self._changed(item, path + (key,))
                elif isinstance(item, dict):
                    new = self._dict(item, path + (key,))
                elif isinstance(item, list):
                    new = self._list(item, path + (key,))
            if rebuilt:
                out[key_out] = new
            elif key_out is not key:
                out = dict(islice((value if out is None else out).items(), position))
                out[key_out] = new
                rebuilt = True
            elif new is not item:
                if out is None:
                    out = value.copy()
                out[key] = new
        return value if out is None else out

    def _list(self, value: list, path: tuple) -> list:
        out = None
        for i, item in enumerate(value):
            if isinstance(item, str):
                if "{{" not in item:
                    continue
                new = self._changed(item, path + (i,))
            elif isinstance(item, dict):
                new = self._dict(item, path + (i,))
            elif isinstance(item, list):
                new = self._list(item, path + (i,))
            else:
                continue
            if new is not item:
                if out is None:
                    out = value[:]
                out[i] = new
        return value if out is None else out

    def along(self, value: Any, tags: Any, path: tuple = ()) -> tuple:
        """`data(value, path)` walking only the paths of `tags` (`skeleton(value)`), and the
        skeleton of the result: `tags` itself when every tag is still there."""
        if tags is True:
            new = self._changed(value, path)
            return new, (True if new is value or "{{" in new else ())
        if not tags:
            return value, tags
        if tags.__class__ is _Keyed:  # a key holds a tag: rebuilt in order, as `data` does
            new = self.data(value, path)
            return new, skeleton(new)
        if len(tags) == 1:
            keys = _chain(tags)
            if keys is not None:
                return self._along_chain(value, tags, keys, path)
        out = left = None  # copies, made at the first change
        for n, entry in enumerate(tags):
            key, _, child = entry
            item = value[key]
            if child is True:
                new = self._changed(item, path + (key,))
                item_left = True if new is item or "{{" in new else ()
            else:
                new, item_left = self.along(item, child, path + (key,))
            if new is not item:
                if out is None:
                    out = value.copy()
                out[key] = new
            if item_left is not child:
                if left is None:
                    left = list(tags[:n])
                if item_left:
                    left.append((key, False, item_left))
            elif left is not None:
                left.append(entry)
        return (value if out is None else out), (tags if left is None else tuple(left))

    def _along_chain(self, value: Any, tags: tuple, keys: list, path: tuple) -> tuple:
        """`along` for a skeleton that leads to one string through one item per level (a
        task's `arguments.parameters[0].value`, a pod's `script.source`): a loop down, and
        copies on the way up when the string changed."""
        containers = []
        item = value
        for key in keys:
            containers.append(item)
            item = item[key]
        new = self._changed(item, path + tuple(keys))
        if new is item:
            return value, tags
        left = tags if "{{" in new else ()
        for container, key in zip(reversed(containers), reversed(keys)):
            copy = container.copy()
            copy[key] = new
            new = copy
        return new, left

    # -- one string

    def text(self, value: str, path: tuple = (), at: str = "value") -> str:
        if "{{" not in value:
            return value
        tags, unclosed = scan(value)
        if unclosed is not None:
            raise SubstitutionError(f"Cannot find end tag=\"}}}}\" in the template=\"{value}\" starting from "
                                    f"\"{value[unclosed:]}\"",
                                    Reference(value[unclosed:unclosed + 2], "{{", path, 0, at))
        if len(tags) == 1:  # the usual case: no list to join
            tag = tags[0]
            start, end, content = tag
            part = self._expression(tag, path, at) if content.startswith("=") else self._simple(tag, path, at)
            text = part if start == 0 and end == len(value) else value[:start] + part + value[end:]
        else:
            out = []
            pos = 0
            for tag in tags:
                start, end, content = tag
                out.append(value[pos:start])
                pos = end
                out.append(self._expression(tag, path, at) if content.startswith("=") else self._simple(tag, path, at))
            out.append(value[pos:])
            text = "".join(out)
        budget = active()
        if budget is not None:
            budget.value(len(text))
        return text

    def _simple(self, tag: Tag, path: tuple, at: str) -> str:
        content = tag.content
        nested = "{{" in content
        key = tag.key if nested else content.strip()
        found, value = self.vars.lookup(key)
        if found:
            if value is None:
                if self.absent_ok:
                    return tag.text
                raise SubstitutionError(f"unable to substitute {{{{{key}}}}}: the output is an absent optional (a "
                                        "skipped or omitted node produced no value and no default is declared)",
                                        Reference(tag.text, tag.text, path, 0, at))
            if nested:
                return "{{" + content[:content.rfind("{{")] + value
            if self.resolved is not None:
                self.resolved.add((id(self.document), path, tag.text))
            return value
        if self.mode == STRICT and not self.absent_ok:
            raise SubstitutionError(f"failed to resolve {{{{{key}}}}}", Reference(tag.text, tag.text, path, 0, at))
        if self.mode == PREFIX_STRICT and _late(key) and ".outputs.artifacts." not in key:
            self.missing.append(Reference(tag.text, tag.text, path, 0, at))
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


# A tag skeleton: where in a value the strings and keys holding "{{" are, so that a walk
# visits only those paths. `()` for a value without any tag, True for a string with one; a
# container's is a tuple of (key or index, whether the key holds a tag, the item's
# skeleton) for the items that hold or lead to a tag, in the container's order (a `_Keyed`
# tuple when a key holds one).
class _Keyed(tuple):
    """The skeleton of a dict one of whose keys holds a tag."""

    __slots__ = ()


def skeleton(value: Any, skip: tuple = (), shapes: Optional[dict] = None, strings: Optional[list] = None) -> Any:
    """The tag skeleton of `value` (keys in `skip` left out at the top). With `shapes` (a
    dict, empty at first) equal skeletons are one object: the tasks of a large DAG, all of
    one shape, then keep one skeleton between them. With `strings` (a list), each string
    holding a tag is appended to it in the order `along` visits them (None for a key that
    holds one)."""
    if isinstance(value, dict):
        entries = []
        keyed = False
        str_keys = True  # only then is an equal skeleton the same (True == 1, 1 == 1.0)
        for key, item in value.items():
            if skip and key in skip:
                continue
            if item.__class__ is str or isinstance(item, str):  # (the exact class first: most items)
                if "{{" in item:
                    child = True
                    if strings is not None:
                        strings.append(item)
                else:
                    child = ()
            elif isinstance(item, (dict, list)):
                child = skeleton(item, (), shapes, strings)
            else:
                child = ()
            key_tag = (key.__class__ is str or isinstance(key, str)) and "{{" in key
            if child or key_tag:
                entries.append((key, key_tag, child))
                keyed = keyed or key_tag
                str_keys = str_keys and key.__class__ is str
                if key_tag and strings is not None:
                    strings.append(None)
        if keyed:
            return _Keyed(entries)
        entries = tuple(entries)
        return shapes.setdefault(entries, entries) if shapes is not None and str_keys and entries else entries
    if isinstance(value, list):
        entries = []
        for i, item in enumerate(value):
            if item.__class__ is str or isinstance(item, str):
                if "{{" in item:
                    entries.append((i, False, True))
                    if strings is not None:
                        strings.append(item)
            elif isinstance(item, (dict, list)):
                child = skeleton(item, (), shapes, strings)
                if child:
                    entries.append((i, False, child))
        entries = tuple(entries)
        return shapes.setdefault(entries, entries) if shapes is not None and entries else entries
    if isinstance(value, str):
        if "{{" in value:
            if strings is not None:
                strings.append(value)
            return True
        return ()
    return ()


def _chain(tags: tuple) -> Optional[list]:
    """The keys down a skeleton of one entry per level that ends in a string, or None."""
    keys = []
    while tags.__class__ is tuple and len(tags) == 1:
        key, _, child = tags[0]
        keys.append(key)
        if child is True:
            return keys
        tags = child
    return None


def skeleton_at(tags: Any, *keys) -> Any:
    """The skeleton of the item at `keys` (dict keys, list indices) in a value whose
    skeleton is `tags`: `()` when nothing there holds a tag."""
    for key in keys:
        if tags is True or not tags:
            return ()
        tags = next((child for entry_key, _, child in tags if entry_key == key), ())
    return tags


def items_skeletons(tags: Any, skip: tuple = ()) -> Optional[dict]:
    """Per index, the skeleton of each item of a list of dicts whose skeleton is `tags`,
    without the keys in `skip` (as `Substituter.data(item, skip=skip)` walks it): None for an
    item one of whose keys holds a tag (`data` rebuilds it). Items without a tag are left out."""
    out: dict = {}
    kept: dict = {}  # id(item skeleton) -> the same without `skip`: the items share a few shapes
    for index, _, child in tags or ():
        if child is True or child.__class__ is _Keyed:
            out[index] = None
            continue
        found = kept.get(id(child))
        if found is None:
            found = kept[id(child)] = (child, tuple(entry for entry in child if entry[0] not in skip))
        out[index] = found[1]
    return out


class InertTags:
    """The tagged strings of a value (along its skeleton), when every tag in them is a plain
    name (`{{a.b}}`: no expression, no nesting, none unclosed). A LENIENT pass whose
    variables hold none of those names gives the value back as it is and only charges the
    budget for each string, which `charge` does without the walk."""

    __slots__ = ("lengths", "keys")

    def __init__(self, lengths: list, keys: tuple):
        self.lengths = lengths  # of each tagged string, in the order `along` visits them
        self.keys = keys  # the names the tags give, without repeats

    def hold_none(self, vars: Vars) -> bool:
        """Whether no tag would be replaced with `vars` (nor fail: an absent optional)."""
        lookup = vars.lookup
        for key in self.keys:
            if lookup(key)[0]:
                return False
        return True

    def charge(self) -> None:
        """What a LENIENT `along` that replaces nothing charges the active budget."""
        budget = active()
        if budget is not None:
            budget.values(self.lengths)


def inert_tags(strings: list) -> Optional[InertTags]:
    """The InertTags of the tagged strings of a value (`skeleton(..., strings=...)`), or
    None when a tag is other than a plain name or a key holds one."""
    lengths: list = []
    keys: dict = {}
    for text in strings:
        if text is None:
            return None
        found, unclosed = scan(text)
        if unclosed is not None:
            return None
        for tag in found:
            content = tag.content
            if content.startswith("=") or "{{" in content:
                return None
            keys[content.strip()] = None
        lengths.append(len(text))
    return InertTags(lengths, tuple(keys))


def leftovers(value: Any, path: tuple = (), skip: tuple = (), tags: Any = None) -> list[Reference]:
    """Every tag still in `value` (strings and keys), with its path; `tags` is the value's
    skeleton when known. In the order of a walk that lists a dict's key tags (last key
    first) before what its values hold."""
    out: list[Reference] = []
    _leftovers_along(value, skeleton(value, skip) if tags is None else tags, path, skip, out)
    return out


def _leftovers_along(value: Any, tags: Any, where: tuple, skip: tuple, out: list) -> None:
    if tags is True:
        for tag in scan(value).tags:
            out.append(Reference(tag.text, tag.text, where))
        return
    entries = [entry for entry in tags if not (skip and entry[0] in skip)] if skip else tags
    for key, key_tag, _ in reversed(entries):
        if key_tag:
            for tag in scan(key).tags:
                out.append(Reference(tag.text, tag.text, where + (key,), 0, "key"))
    for key, _, child in entries:
        if child:
            _leftovers_along(value[key], child, where + (key,), (), out)


def substitute(value: Any, vars: Vars, mode: str = LENIENT, path: tuple = (), now: Optional[datetime] = None,
               skip: tuple = ()) -> Any:
    """`value` with its tags replaced; raises SubstitutionError (PREFIX_STRICT callers that
    need the missing names use a Substituter)."""
    return Substituter(vars, mode, now).data(value, path, skip)
