"""Nodes of a simulated run, as the controller records them in `status.nodes`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

# node types
POD, STEPS, STEP_GROUP, DAG, TASK_GROUP, RETRY, SKIPPED, SUSPEND, HTTP, PLUGIN = (
    "Pod", "Steps", "StepGroup", "DAG", "TaskGroup", "Retry", "Skipped", "Suspend", "HTTP", "Plugin")
# phases
PENDING, RUNNING, SUCCEEDED, FAILED, ERROR, SKIPPED_PHASE, OMITTED = (
    "Pending", "Running", "Succeeded", "Failed", "Error", "Skipped", "Omitted")
COMPLETED = frozenset({SUCCEEDED, FAILED, ERROR})
FINAL = frozenset({SUCCEEDED, FAILED, ERROR, SKIPPED_PHASE, OMITTED})
LEAF_TYPES = frozenset({POD, SKIPPED, SUSPEND, HTTP, PLUGIN})


@lru_cache(maxsize=4096)  # a node's ID and its pod's name hash the same name, ticks apart
def fnv32a(text: str) -> int:
    # FNV-1a goes byte by byte: the state after a node's parent (`wf.dag.`) is shared by
    # all its children, which then hash only their own name
    parent, dot, own = text.rpartition(".")
    return _fnv_continue(_fnv_prefix(parent + dot) if dot else 0x811C9DC5, own)


@lru_cache(maxsize=256)
def _fnv_prefix(text: str) -> int:
    return _fnv_continue(0x811C9DC5, text)


def _fnv_continue(h: int, text: str) -> int:
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def node_id(workflow: str, name: str) -> str:
    """The controller's node ID: the workflow name for the root, else `WF-<fnv32a(name)>`."""
    return workflow if name == workflow else f"{workflow}-{fnv32a(name)}"


def pod_name(workflow: str, name: str, template: Optional[str]) -> str:
    """POD_NAMES v2: `WF` for the root, else `WF-<template>-<fnv32a(name)>` (the prefix cut
    to 242 characters), or `WF-<fnv32a(name)>` without a template name."""
    if name == workflow:
        return workflow
    if not template:
        return f"{workflow}-{fnv32a(name)}"
    prefix = f"{workflow}-{template}"[:242]
    return f"{prefix}-{fnv32a(name)}"


@dataclass(slots=True)
class Outputs:
    parameters: dict = field(default_factory=dict)  # name -> value (strings)
    result: Optional[str] = None
    has_result: bool = False
    artifacts: dict = field(default_factory=dict)  # name -> Artifact
    exit_code: Optional[str] = None

    def copy(self) -> "Outputs":
        return Outputs(dict(self.parameters), self.result, self.has_result, dict(self.artifacts), self.exit_code)

    def as_json(self) -> dict:
        out: dict = {}
        if self.has_result:
            out["result"] = self.result
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        if self.artifacts:
            out["artifacts"] = sorted(self.artifacts)
        if self.exit_code not in (None, "0"):
            out["exitCode"] = self.exit_code
        return out


@dataclass(eq=False, slots=True)
class Node:
    name: str
    display_name: str
    type: str
    phase: str
    seq: int
    started_at: int
    template: Optional[str] = None
    template_ref: Optional[str] = None  # "workflowtemplate/template" for templateRef calls
    boundary: Optional[str] = None  # the steps/DAG node whose template created this node
    parent: Optional[str] = None  # the node that created it (for drawing the tree)
    finished_at: Optional[int] = None
    message: Optional[str] = None
    children: list = field(default_factory=list)  # graph edges, as status.nodes[].children
    outbound: Optional[list] = None  # recorded outbound nodes of Steps / DAG nodes
    inputs: dict = field(default_factory=dict)
    outputs: Optional[Outputs] = None
    command: Optional[list] = None
    args: Optional[list] = None
    image: Optional[str] = None
    detail: Optional[str] = None  # what else the leaf would do (resource action, url, script source)
    due: Optional[int] = None  # the tick a leaf ends at
    daemoned: bool = False
    hooked: bool = False  # an exit or lifecycle hook node
    setup_error: bool = False  # errored while resolving its template or arguments
    members: list = field(default_factory=list)  # nodes whose boundary this is
    extra: dict = field(default_factory=dict)  # engine state (retry attempts, fired hooks ...)

    @property
    def fulfilled(self) -> bool:
        return self.phase in FINAL or (self.daemoned and self.phase != PENDING)

    @property
    def completed(self) -> bool:
        return self.phase in COMPLETED
