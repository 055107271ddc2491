"""What the parts of the simulated controller share: calls, bounds, events, names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.workflow import ResolvedTemplate, Source, TemplateBase

LEAF_KINDS = {"container": N.POD, "script": N.POD, "resource": N.POD, "data": N.POD, "containerSet": N.POD,
              "http": N.HTTP, "plugin": N.PLUGIN}
POD_KINDS = ("container", "script", "resource", "data", "containerSet")
_LOOP_SUFFIX = re.compile(r"\(\d+:.*\)\Z", re.S)
_GROUP_PREFIX = re.compile(r"\A\[\d+\]\.")


@dataclass
class Limits:
    max_nodes: int = 10_000
    max_loop_items: int = 10_000
    max_depth: int = 100
    max_ticks: int = 100_000
    timeout: Optional[float] = 60.0  # seconds of wall clock (argolint.evaluator.budget)


class Stop(Exception):
    """A bound was reached: the run ends here with this message."""


class ArgumentError(Exception):
    """A template's inputs cannot be bound."""


class _Absent:
    """An argument that is exactly one absent optional: "not supplied"."""

    def __repr__(self):
        return "<absent>"


ABSENT = _Absent()


@dataclass(slots=True)
class Event:
    tick: int
    kind: str  # START, END, SKIP, OMIT, ERROR, WAIT
    node: str
    type: str
    phase: str
    message: Optional[str] = None


@dataclass(slots=True)
class Unresolved:
    reference: str
    node: Optional[str]
    outcome: str  # error, hang, literal
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    message: Optional[str] = None
    path: tuple = ()
    document: Any = None
    tag: Optional[str] = None  # the whole tag the reference sits in (for a `when`, the condition)
    kind: str = "reference"  # or "when": a condition that does not evaluate


@dataclass(slots=True)
class Call:
    """How a template is called: by a step, a task, a hook, or as the entrypoint."""

    holder: dict  # the step / task / hook (substituted), or {"template": entrypoint}
    source: Source  # where the holder is written
    base: TemplateBase
    args: dict
    boundary: Optional[str] = None
    parent: Optional[str] = None
    local: dict = field(default_factory=dict)  # steps.name / tasks.name
    mock_names: tuple = ()
    capture: bool = False  # the caller's template reads this step's outputs.result
    hooked: bool = False


@dataclass(slots=True)
class Prepared:
    """A resolved template with its inputs bound and P2 done."""

    resolved: ResolvedTemplate
    data: dict  # the substituted template
    inputs: dict  # bound input parameters (name -> value)
    locals: dict
    version: int
    leftover: Any = None  # where `data` still holds tags (a substitute.skeleton); None: not known


def display_name(name: str, boundary: Optional[str]) -> str:
    if boundary and name.startswith(boundary) and name != boundary:
        rest = name[len(boundary):]
        if rest.startswith("["):  # a step group's `[i].`
            rest = _GROUP_PREFIX.sub("", rest, count=1)
        return rest[1:] if rest.startswith(".") else rest
    return name


def base_name(display: str) -> str:
    return _LOOP_SUFFIX.sub("", display)


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def strip_newline(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text




class CallError(Exception):
    """A step or task that cannot be resolved or expanded: its group or node errors."""


@dataclass(slots=True)
class Planned:
    """A step or task ready to run: expanded from its loop, substituted."""

    name: str  # the (expanded) name, e.g. print(0:1)
    step: dict
    source: "Source"
    skip: Optional[str] = None  # "Skipped, empty params"
    base: str = ""  # the step/task name without loop suffix
    tagless: bool = False  # known to hold no tag (but in hooks, inline and when): no leftovers to look for


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)?")


def duration_ticks(text: Optional[str]) -> Optional[int]:
    """A duration string (`2`, `30s`, `1m`, `1h30m`, `1d`) in ticks of one second."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    total, pos = 0.0, 0
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
    while pos < len(text):
        m = _DURATION.match(text, pos)
        if m is None:
            return None
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    return int(total)
