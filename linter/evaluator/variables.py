"""Variable maps the way the controller builds them (argo-semantics §1.4, §2).

A `Vars` is a flat map of dotted names (`inputs.parameters.msg`, `steps.gen.outputs.result`)
to strings, `None` for an absent optional (a skipped producer's output without default),
or an `Artifact`. It is made of layers (globals, the template's locals, loop items ...)
and at most one `RefScope`: the `steps.*` / `tasks.*` entries of a steps or DAG
invocation, of which a DAG task sees only its ancestors. Lookups never copy the layers, so
a task of a 1,000-task DAG does not pay for 999 ancestors it does not read.

`Vars.env()` is the same map as expr-lang sees it: dotted names expanded into nested maps,
a name dropped when a longer name extends it (`workflow.parameters` becomes the map of
parameters, as in Argo).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable, Optional


class Artifact(dict):
    """An artifact reference (an opaque record: name, where it comes from, optional)."""


class Deferred:
    """A variable's value made when something first reads it: `inputs.parameters` (every
    input as JSON) is in the scope of every template, and few tags read it. The value is
    never None (no absent optional: `Vars.may_hold_absent`)."""

    __slots__ = ("_make", "_value")

    def __init__(self, make):
        self._make = make
        self._value = None

    def value(self) -> Any:
        if self._make is not None:
            self._value = self._make()
            self._make = None
        return self._value


def _made(value: Any) -> Any:
    """A variable's value, made now if it is Deferred."""
    return value.value() if type(value) is Deferred else value


class Layer(dict):
    """A dict of variables that is not changed once built; caches its key prefixes."""

    _prefixes: Optional[frozenset] = None
    _absent: Optional[bool] = None

    def holds_absent(self) -> bool:
        """Whether a variable is None (an absent optional); asked once the layer is built."""
        if self._absent is None:
            self._absent = None in self.values()
        return self._absent

    def prefixes(self) -> frozenset:
        if self._prefixes is None:
            out = set()
            for key in self:
                i = key.find(".")
                while i != -1:
                    out.add(key[:i])
                    i = key.find(".", i + 1)
            self._prefixes = frozenset(out)
        return self._prefixes


EMPTY = Layer()


class RefScope:
    """`steps.<name>.*` or `tasks.<name>.*` entries of one steps/DAG invocation, filled as
    the steps or tasks finish."""

    __slots__ = ("root", "entries", "_nested", "absent")

    def __init__(self, root: str):
        self.root = root  # "steps" or "tasks"
        self.entries: dict[str, Layer] = {}
        self._nested: dict[str, dict] = {}
        self.absent = False  # whether an entry is None (an absent optional)

    def add(self, name: str, entries: dict) -> None:
        """`entries` is the scope's from now on: a Layer is kept as it is (`node_entries`)."""
        layer = self.entries[name] = entries if entries.__class__ is Layer else Layer(entries)
        self._nested.pop(name, None)
        if not self.absent and layer.holds_absent():
            self.absent = True

    def nested(self, name: str) -> dict:
        value = self._nested.get(name)
        if value is None:
            value = self._nested[name] = nest(self.entries[name].items())
        return value


def nest(items: Iterable) -> dict:
    """Dotted names to nested maps; a name that another name extends is dropped."""
    root: dict = {}
    for key, value in items:
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict) or isinstance(child, Artifact):
                child = node[part] = {}
            node = child
        last = parts[-1]
        if isinstance(node.get(last), dict) and not isinstance(node.get(last), Artifact):
            continue  # a longer name already made this a map
        node[last] = value
    return root


class _RefsView(Mapping):
    """The `steps` / `tasks` map inside an expression: visible entries, plus what the
    flat layers hold under the same root (`steps.name`)."""

    def __init__(self, refs: RefScope, visible, base: Optional[dict]):
        self.refs = refs
        self.visible = visible
        self.base = base or {}

    def _names(self):
        names = [n for n in self.refs.entries if self.visible is None or n in self.visible]
        return names + [k for k in self.base if k not in self.refs.entries]

    def __getitem__(self, name):
        if name in self.refs.entries and (self.visible is None or name in self.visible):
            return self.refs.nested(name)
        return self.base[name]

    def __iter__(self):
        return iter(self._names())

    def __len__(self):
        return len(self._names())

    def __contains__(self, name):
        return (name in self.refs.entries and (self.visible is None or name in self.visible)) or name in self.base


class Vars:
    """A variable map: layers searched first to last, plus a RefScope (`visible` limits it
    to some names: a DAG task's ancestors)."""

    __slots__ = ("layers", "refs", "visible", "_env")

    def __init__(self, layers: list, refs: Optional[RefScope] = None, visible=None):
        self.layers = layers
        self.refs = refs
        self.visible = visible
        self._env = None

    def with_layer(self, layer: dict, first: bool = True) -> "Vars":
        layer = layer if isinstance(layer, Layer) else Layer(layer)
        layers = [layer] + self.layers if first else self.layers + [layer]
        return Vars(layers, self.refs, self.visible)

    def may_hold_absent(self) -> bool:
        """Whether a lookup could find None (an absent optional)."""
        refs = self.refs
        if refs is not None and refs.absent:
            return True
        for layer in self.layers:
            if layer.holds_absent():
                return True
        return False

    def _ref_entries(self, name: str) -> Optional[Layer]:
        refs = self.refs
        if refs is None or (self.visible is not None and name not in self.visible):
            return None
        return refs.entries.get(name)

    def lookup(self, key: str) -> tuple[bool, Any]:
        """(found, value) of a simple tag's key; artifacts are not strings and so are not
        found here (Argo resolves them separately)."""
        refs = self.refs
        if refs is not None and key.startswith(refs.root) and key[len(refs.root):len(refs.root) + 1] == ".":
            name, _, rest = key[len(refs.root) + 1:].partition(".")
            entries = self._ref_entries(name)
            if entries is not None and rest in entries:
                value = entries[rest]
                return (False, None) if isinstance(value, Artifact) else (True, value)
        for layer in self.layers:
            if key in layer:
                value = layer[key]
                if isinstance(value, Artifact):
                    return False, None
                return True, _made(value)
        return False, None

    def artifact(self, key: str) -> tuple[bool, Any]:
        """(found, value) of an artifact reference (`steps.X.outputs.artifacts.A`, ...)."""
        refs = self.refs
        if refs is not None and key.startswith(refs.root + "."):
            name, _, rest = key[len(refs.root) + 1:].partition(".")
            entries = self._ref_entries(name)
            if entries is not None and rest in entries:
                return True, entries[rest]
        for layer in self.layers:
            if key in layer:
                value = layer[key]
                return True, _made(value)
        return False, None

    def has_path(self, path: tuple) -> bool:
        """Whether an expression's member path names a variable or a map of variables."""
        key = ".".join(str(p) for p in path)
        for layer in self.layers:
            if key in layer or key in layer.prefixes():
                return True
        refs = self.refs
        if refs is not None and path[0] == refs.root:
            if len(path) == 1:
                return True
            entries = self._ref_entries(str(path[1]))
            if entries is None:
                return False
            if len(path) == 2:
                return True
            rest = ".".join(str(p) for p in path[2:])
            return rest in entries or rest in entries.prefixes()
        return False

    def env(self) -> Mapping:
        """The nested map an expression sees."""
        if self._env is None:
            items = []
            seen = set()
            for layer in self.layers:
                for key, value in layer.items():
                    if key not in seen:
                        seen.add(key)
                        items.append((key, _made(value)))
            env = nest(items)
            if self.refs is not None:
                base = env.get(self.refs.root)
                env[self.refs.root] = _RefsView(self.refs, self.visible, base if isinstance(base, dict) else None)
            self._env = env
        return self._env
