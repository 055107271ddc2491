"""A typed view of an Argo document: workflow spec, templates, steps, tasks, parameters.

The views wrap the loaded data instead of validating it into pydantic models: the linter's
input is exactly the malformed manifests a strict model would reject, and every view keeps
the path of what it wraps so findings can point at it. Wrong types read as absent here;
reporting them is the schema rules' job.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Iterator, Optional

from argolint.diagnostics import Path

TEMPLATE_TYPES = ("container", "script", "containerSet", "resource", "dag", "steps", "suspend", "data", "http", "plugin")
LOOP_KEYS = ("withItems", "withParam", "withSequence")


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


class View:
    __slots__ = ("data", "path")

    def __init__(self, data: Any, path: Path):
        self.data = _dict(data)
        self.path = tuple(path)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


class Parameter(View):
    __slots__ = ()

    @property
    def name(self) -> Optional[str]:
        return _str(self.data.get("name"))

    @property
    def has_value(self) -> bool:
        return any(k in self.data for k in ("value", "default", "valueFrom"))


def parameters(container: Any, path: Path, key: str = "parameters") -> list[Parameter]:
    return [Parameter(p, path + (key, i)) for i, p in enumerate(_list(_dict(container).get(key)))]


class TemplateRef(View):
    __slots__ = ()

    @property
    def name(self) -> Optional[str]:
        return _str(self.data.get("name"))

    @property
    def template(self) -> Optional[str]:
        return _str(self.data.get("template"))

    @property
    def cluster_scope(self) -> bool:
        return self.data.get("clusterScope") is True


class Invocation(View):
    """What steps and DAG tasks share: a name, a template (or templateRef), arguments."""

    __slots__ = ("owner",)

    def __init__(self, data: Any, path: Path, owner: "Template"):
        # View.__init__ written out: DAGs and steps templates make thousands of these
        self.data = data if isinstance(data, dict) else {}
        self.path = tuple(path)
        self.owner = owner

    @property
    def name(self) -> Optional[str]:
        return _str(self.data.get("name"))

    @property
    def template_name(self) -> Optional[str]:
        return _str(self.data.get("template"))

    @property
    def template_ref(self) -> Optional[TemplateRef]:
        ref = self.data.get("templateRef")
        return TemplateRef(ref, self.path + ("templateRef",)) if isinstance(ref, dict) else None

    @property
    def inline(self) -> Optional["Template"]:
        inline = self.data.get("inline")
        return Template(inline, self.path + ("inline",), self.owner.workflow) if isinstance(inline, dict) else None

    @property
    def arguments(self) -> dict:
        return _dict(self.data.get("arguments"))

    @property
    def argument_parameters(self) -> list[Parameter]:
        return parameters(self.arguments, self.path + ("arguments",))

    @property
    def loop_key(self) -> Optional[str]:
        return next((k for k in LOOP_KEYS if k in self.data), None)

    @property
    def when(self) -> Optional[str]:
        return _str(self.data.get("when"))


class Step(Invocation):
    __slots__ = ("group",)

    def __init__(self, data: Any, path: Path, owner: "Template", group: int):
        super().__init__(data, path, owner)
        self.group = group


class Task(Invocation):
    __slots__ = ()

    @property
    def dependencies(self) -> list:
        return _list(self.data.get("dependencies"))

    @property
    def depends(self) -> Optional[str]:
        return _str(self.data.get("depends"))


class Template(View):
    __slots__ = ("workflow", "__dict__")

    def __init__(self, data: Any, path: Path, workflow: "WorkflowSpec"):
        super().__init__(data, path)
        self.workflow = workflow

    @cached_property  # asked by most rules of every template: the data of a view does not change
    def name(self) -> Optional[str]:
        return _str(self.data.get("name"))

    @cached_property
    def types(self) -> list[str]:
        """The template types it sets; a null one (`container:` with nothing) is unset, as
        for Argo."""
        data = self.data
        return [t for t in TEMPLATE_TYPES if data.get(t) is not None]

    @property
    def type(self) -> Optional[str]:
        types = self.types
        return types[0] if len(types) == 1 else None

    @property
    def inputs(self) -> dict:
        return _dict(self.data.get("inputs"))

    @property
    def outputs(self) -> dict:
        return _dict(self.data.get("outputs"))

    @property
    def input_parameters(self) -> list[Parameter]:
        return parameters(self.inputs, self.path + ("inputs",))

    @property
    def input_artifacts(self) -> list[Parameter]:
        return parameters(self.inputs, self.path + ("inputs",), "artifacts")

    @property
    def output_parameters(self) -> list[Parameter]:
        return parameters(self.outputs, self.path + ("outputs",))

    @cached_property
    def step_groups(self) -> list[list[Step]]:
        groups = []
        for g, group in enumerate(_list(self.data.get("steps"))):
            gpath = self.path + ("steps", g)
            if isinstance(group, list):
                groups.append([Step(s, gpath + (i,), self, g) for i, s in enumerate(group)])
            elif isinstance(group, dict):  # a lone step not wrapped in a list; schema reports it
                groups.append([Step(group, gpath, self, g)])
            else:
                groups.append([])
        return groups

    @property
    def steps(self) -> Iterator[Step]:
        for group in self.step_groups:
            yield from group

    @cached_property
    def tasks(self) -> list[Task]:
        dag = _dict(self.data.get("dag"))
        path = self.path + ("dag", "tasks")
        return [Task(t, path + (i,), self) for i, t in enumerate(_list(dag.get("tasks")))]


class WorkflowSpec:
    """The spec of a Workflow-like document: `spec`, or `spec.workflowSpec` of a CronWorkflow."""

    def __init__(self, document, data: Any, path: Path):
        self.document = document
        self.data = _dict(data)
        self.path = tuple(path)

    @classmethod
    def of(cls, document) -> Optional["WorkflowSpec"]:
        root = document.data if isinstance(document.data, dict) else {}
        spec = root.get("spec")
        if document.kind == "CronWorkflow":
            return cls(document, _dict(spec).get("workflowSpec"), ("spec", "workflowSpec"))
        return cls(document, spec, ("spec",))

    @property
    def kind(self) -> Optional[str]:
        return self.document.kind

    @property
    def entrypoint(self) -> Optional[str]:
        return _str(self.data.get("entrypoint"))

    @property
    def arguments(self) -> dict:
        return _dict(self.data.get("arguments"))

    @property
    def argument_parameters(self) -> list[Parameter]:
        return parameters(self.arguments, self.path + ("arguments",))

    @property
    def workflow_template_ref(self) -> Optional[TemplateRef]:
        ref = self.data.get("workflowTemplateRef")
        return TemplateRef(ref, self.path + ("workflowTemplateRef",)) if isinstance(ref, dict) else None

    @cached_property
    def templates(self) -> list[Template]:
        path = self.path + ("templates",)
        return [Template(t, path + (i,), self) for i, t in enumerate(_list(self.data.get("templates")))]

    @cached_property
    def templates_by_name(self) -> dict[str, Template]:
        by_name: dict[str, Template] = {}
        for t in self.templates:
            if t.name is not None:
                by_name.setdefault(t.name, t)
        return by_name

    def template(self, name: Optional[str]) -> Optional[Template]:
        return self.templates_by_name.get(name) if name is not None else None
