"""Stand-ins for the three standard modules lark's runtime imports only for a few names:
`logging` (a logger that lark itself sets to CRITICAL, so nothing it logs is ever shown),
`dataclasses.dataclass` (one frozen class, `TextSlice`) and `inspect.getmembers`/`getmro`
(`Transformer`'s `v_args` decoration). Importing the real ones costs ~9 ms of every lint's
start (logging, dataclasses, inspect, ast, dis), more than the rest of the runtime. The
generator (`grammar_tables.generate_runtime`) points the runtime's imports here.
"""

from __future__ import annotations


class _SilentLogger:
    """lark's logger at level CRITICAL: it never logs below CRITICAL, and the runtime never
    logs at CRITICAL."""

    def setLevel(self, level) -> None:
        pass

    def addHandler(self, handler) -> None:
        pass

    def _drop(self, *args, **kwargs) -> None:
        pass

    debug = info = warning = error = exception = _drop


class logging:  # noqa: N801 - read by the runtime as the module it replaces
    CRITICAL = 50
    Logger = _SilentLogger
    _LOGGER = _SilentLogger()

    @staticmethod
    def getLogger(name: str) -> _SilentLogger:  # noqa: N802 - the module's name
        return logging._LOGGER

    @staticmethod
    def StreamHandler() -> None:  # noqa: N802 - the module's name
        return None


def dataclass(frozen: bool = True):
    """The frozen dataclass of the runtime's `TextSlice`: an `__init__` over the annotated
    fields that calls `__post_init__`, value equality and hash, a repr, and no assignment."""
    assert frozen, "the runtime only declares frozen dataclasses"

    def decorate(cls):
        fields = tuple(cls.__dict__.get("__annotations__", {}))

        def __init__(self, *args):
            if len(args) != len(fields):
                raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments ({len(args)} given)")
            for name, value in zip(fields, args):
                object.__setattr__(self, name, value)
            post_init = getattr(self, "__post_init__", None)
            if post_init is not None:
                post_init()

        def values(self) -> tuple:
            return tuple(getattr(self, name) for name in fields)

        def __eq__(self, other):
            return values(self) == values(other) if other.__class__ is self.__class__ else NotImplemented

        def __hash__(self):
            return hash(values(self))

        def __repr__(self):
            return f"{cls.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in fields)})"

        def __setattr__(self, name, value):
            raise AttributeError(f"cannot assign to field {name!r}")

        def __delattr__(self, name):
            raise AttributeError(f"cannot delete field {name!r}")

        for method in (__init__, __eq__, __hash__, __repr__, __setattr__, __delattr__):
            setattr(cls, method.__name__, method)
        return cls

    return decorate


def getmro(cls) -> tuple:
    return cls.__mro__


def getmembers(obj) -> list:
    """`inspect.getmembers` for the classes the runtime passes: every name `dir` lists that
    `getattr` can read, sorted by name."""
    members = []
    for name in dir(obj):
        try:
            members.append((name, getattr(obj, name)))
        except AttributeError:
            continue
    members.sort(key=lambda member: member[0])
    return members
