"""Template injection: outside input interpolated into a shell command line (the
`template-injection` rule; actionlint's script injection, for Argo).

Outside input (what whoever submits the workflow, or an Argo Events sensor, chooses):

- `{{workflow.parameters.X}}` for a parameter of the workflow's `spec.arguments` (`argo
  submit -p X=...` and a sensor's parameters set it);
- `{{inputs.parameters.X}}` of the entrypoint template (its value is the workflow argument
  of that name);
- `{{inputs.parameters.X}}` of a template that receives one of these through its caller's
  step or task `arguments` (at any depth: the trace follows the call graph), including a
  template of a WorkflowTemplate called by `templateRef` (reported at the argument that
  carries the value into it, as that is the place in the linted document).

Not outside input: a parameter with an `enum` (on the workflow argument or on the input),
and every value the workflow computes itself (`steps.*.outputs`, `tasks.*.outputs`,
`item`, expressions over those).

Sinks: the script of a shell (`sh`, `bash`, `ash`, `dash`, `zsh`, `ksh`) given by `-c`
in a container's `command` + `args` (container, containerSet, init containers,
sidecars), and the `source` of a script template whose `command` is a shell.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import NamedTuple, Optional

from argolint.analysis.templating.scope import split_key
from argolint.analysis.templating.tags import scan
from argolint.model import Task, Template, WorkflowSpec
from argolint.analysis import per_document

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
_EXPR_REF = re.compile(r"\b(inputs|workflow)\.parameters(?:\.([A-Za-z0-9_-]+)|\[\s*['\"]([^'\"]+)['\"]\s*\])")


class Injection(NamedTuple):
    path: tuple  # the scalar holding the tag, or the argument that carries the value into another document
    start: Optional[int]  # the tag's offsets in the scalar (None: the whole argument)
    end: Optional[int]
    text: str  # the tag, or the remote tag
    sink: str  # "a `sh -c` command line of template 'x'"
    trace: tuple  # from the source to the tag, in words
    variable: str  # the name to pass it as an environment variable under


class _Sink(NamedTuple):
    path: tuple
    text: str
    what: str


def injections(ctx) -> list[Injection]:
    return per_document(ctx, "injections", _injections)


def _injections(ctx) -> list[Injection]:
    spec = ctx.spec
    if spec is None or not spec.data:
        return []
    workflow_taint = _workflow_taint(spec)
    seeds = _entry_seeds(spec, workflow_taint)
    flow = _Flow(spec, workflow_taint)
    flow.run(seeds)
    found = list(flow.local_injections())
    first: dict = {}
    for exit_ in flow.exits:
        first.setdefault(exit_.path, exit_)  # one report per argument, with the first trace found
    for exit_ in first.values():
        found.extend(_remote(ctx, exit_))
    return found


def _enum(param) -> bool:
    enum = param.get("enum") if isinstance(param, dict) else None
    return isinstance(enum, list) and bool(enum)


def _workflow_taint(spec: WorkflowSpec) -> dict:
    taint = {}
    for param in spec.argument_parameters:
        if param.name is not None and not _enum(param.data):
            taint[param.name] = (f"workflow parameter '{param.name}'",)
    return taint


def _entry_seeds(spec: WorkflowSpec, workflow_taint: dict) -> list:
    entry = spec.template(spec.entrypoint)
    if entry is None:
        return []
    constrained = {p.name for p in spec.argument_parameters if _enum(p.data)}
    seeds = []
    for param in entry.input_parameters:
        name = param.name
        if name is None or _enum(param.data) or name in constrained:
            continue
        seeds.append((entry, name, workflow_taint.get(name, (f"workflow parameter '{name}'",))
                      + (f"input '{name}' of the entrypoint '{entry.name}'",)))
    return seeds


class _Exit(NamedTuple):
    """A tainted argument of a call into a template of another document."""

    path: tuple
    ref: object
    name: str
    trace: tuple


class _Flow:
    """Which inputs of which templates of one spec hold outside input (a worklist over the
    calls), and the calls that carry it into other documents."""

    def __init__(self, spec: WorkflowSpec, workflow_taint: dict):
        self.spec = spec
        self.workflow_taint = workflow_taint
        self.taint: dict = {}  # template path -> {input name: trace}
        self.arguments: dict = {}  # template path -> its calls' arguments (see _arguments)
        self.exits: list = []

    def run(self, seeds) -> None:
        from argolint.analysis.templating.check import all_templates

        pending = list(seeds)
        if self.workflow_taint:  # calls passing workflow parameters on, from any template
            for template in all_templates(self.spec):
                pending.extend(self._calls(template, {}, self.workflow_taint))
        while pending:
            template, name, trace = pending.pop()
            known = self.taint.setdefault(template.path, {})
            if name in known:
                continue
            known[name] = trace
            pending.extend(self._calls(template, {name: trace}, {}))

    def _calls(self, template: Template, inputs: dict, workflow: dict):
        """(callee, input name, trace) for each argument of the template's calls that
        interpolates one of `inputs` or of the tainted workflow parameters `workflow`;
        the arguments of calls into other documents are kept in `exits`."""
        root = "workflow.parameters" if workflow else "inputs.parameters"
        reached = set()  # (callee, input) already tainted: the first path to it is the one reported
        for call, callee, name, value, path in self._arguments(template):
            if root not in value:  # the common case in a large DAG: spares scanning its tags
                continue
            if callee is not None and ((callee.path, name) in reached or name in self.taint.get(callee.path, ())):
                continue
            for _tag, trace in _tainted_tags(value, inputs, workflow):
                kind = "task" if isinstance(call, Task) else "step"
                hop = trace + (f"argument '{name}' of {kind} '{call.name}'",)
                if callee is not None:
                    reached.add((callee.path, name))
                    yield callee, name, hop
                elif call.template_ref is not None:
                    self.exits.append(_Exit(path, call.template_ref, name, hop))
                break

    def _arguments(self, template: Template) -> list:
        """(call, callee, name, value, path) of each string argument parameter of the
        template's calls that may carry outside input (not into an `enum` input); once per
        template."""
        found = self.arguments.get(template.path)
        if found is not None:
            return found
        found = self.arguments[template.path] = []
        declared_of: dict = {}
        for call in chain(template.steps, template.tasks):
            callee = self._callee(call)
            if callee is not None and callee.path not in declared_of:
                declared_of[callee.path] = {p.name: p.data for p in callee.input_parameters}
            declared = declared_of[callee.path] if callee is not None else {}
            arguments = call.data.get("arguments")  # the raw data: thousands of tasks in a large DAG
            params = arguments.get("parameters") if isinstance(arguments, dict) else None
            for i, param in enumerate(params if isinstance(params, list) else ()):
                if not isinstance(param, dict):
                    continue
                name, value = param.get("name"), param.get("value")
                if isinstance(name, str) and isinstance(value, str) and "{{" in value \
                        and not _enum(declared.get(name)):
                    found.append((call, callee, name, value, call.path + ("arguments", "parameters", i, "value")))
        return found

    def _callee(self, call) -> Optional[Template]:
        if "inline" in call.data:
            return call.inline
        return self.spec.template(call.template_name) if call.template_name is not None else None

    def local_injections(self):
        from argolint.analysis.templating.check import all_templates

        for template in all_templates(self.spec):
            inputs = self.taint.get(template.path, {})
            if not inputs and not self.workflow_taint:
                continue
            for sink in shell_sinks(template):
                for tag, trace in _tainted_tags(sink.text, inputs, self.workflow_taint):
                    yield Injection(sink.path, tag.start, tag.end, tag.text, sink.what, trace,
                                    _variable(tag.key if not tag.is_expression else "value"))


def _remote(ctx, exit_: _Exit) -> list[Injection]:
    """Follow a tainted argument into the WorkflowTemplate its call names: an injection
    there is reported at the argument."""
    from argolint.analysis.graph import resolve_template_ref

    document = resolve_template_ref(ctx.project, exit_.ref, ctx.document.namespace)
    if document is None:
        return []
    spec = WorkflowSpec.of(document)
    callee = spec.template(exit_.ref.template)
    if callee is None or _enum({p.name: p.data for p in callee.input_parameters}.get(exit_.name)):
        return []
    flow = _Flow(spec, {})
    flow.run([(callee, exit_.name, exit_.trace)])
    where = f"{document.kind} '{document.name}'"
    return [Injection(exit_.path, None, None, found.text, f"{found.sink} in {where}", found.trace,
                      _variable(exit_.name))
            for found in list(flow.local_injections())[:1]]


def _tainted_tags(text: str, inputs: dict, workflow_taint: dict):
    """(tag, trace) for each tag of `text` that interpolates outside input."""
    for tag in scan(text).tags:
        if tag.is_expression:
            for match in _EXPR_REF.finditer(tag.expression):
                root, name = match.group(1), match.group(2) or match.group(3)
                trace = (inputs if root == "inputs" else workflow_taint).get(name)
                if trace is not None:
                    yield tag, trace
                    break
            continue
        segments = split_key(tag.key)
        if len(segments) == 3 and segments[1] == "parameters":
            table = inputs if segments[0] == "inputs" else workflow_taint if segments[0] == "workflow" else {}
            trace = table.get(segments[2])
            if trace is not None:
                yield tag, trace


def shell_sinks(template: Template) -> list[_Sink]:
    """The strings of a template that a shell runs as code."""
    data = template.data
    label = f"template '{template.name}'" if template.name else "an inline template"
    sinks = []
    script = data.get("script")
    if isinstance(script, dict) and isinstance(script.get("source"), str) and _shell(script.get("command")):
        shell = _basename(script["command"][0])
        sinks.append(_Sink(template.path + ("script", "source"), script["source"], f"the {shell} script of {label}"))
    containers = []
    if isinstance(data.get("container"), dict):
        containers.append((template.path + ("container",), data["container"]))
    box = data.get("containerSet")
    if isinstance(box, dict) and isinstance(box.get("containers"), list):
        containers += [(template.path + ("containerSet", "containers", i), c)
                       for i, c in enumerate(box["containers"]) if isinstance(c, dict)]
    for key in ("initContainers", "sidecars"):
        if isinstance(data.get(key), list):
            containers += [(template.path + (key, i), c) for i, c in enumerate(data[key]) if isinstance(c, dict)]
    if isinstance(script, dict):
        containers.append((template.path + ("script",), {"command": script.get("command"), "args": script.get("args")}))
    for path, container in containers:
        found = _command_script(path, container)
        if found is not None:
            sinks.append(_Sink(found[0], found[1], f"a `{found[2]} -c` command line of {label}"))
    return sinks


def _basename(word) -> str:
    return word.rsplit("/", 1)[-1] if isinstance(word, str) else ""


def _shell(command) -> bool:
    return isinstance(command, list) and bool(command) and _basename(command[0]) in SHELLS


def _command_script(path: tuple, container: dict):
    """(path, text, shell) of the string a container's shell runs with `-c`, if any."""
    argv = []
    for key in ("command", "args"):
        value = container.get(key)
        if isinstance(value, list):
            argv += [(path + (key, i), v) for i, v in enumerate(value)]
    words = [v for _, v in argv]
    start = 1 if words and _basename(words[0]) == "env" else 0
    if len(words) <= start or _basename(words[start]) not in SHELLS:
        return None
    seen_c = takes_value = False
    for (where, word) in argv[start + 1:]:
        if not isinstance(word, str):
            return None
        if takes_value:  # the option name of `-o pipefail`
            takes_value = False
            continue
        if word.startswith("--") and word != "--":  # --login, --norc ...
            continue
        if word.startswith("-") and word != "--":
            seen_c = seen_c or "c" in word[1:]
            takes_value = word.endswith("o")
            continue
        return (where, word, _basename(words[start])) if seen_c else None
    return None


def _variable(key: str) -> str:
    name = key.rsplit(".", 1)[-1]
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper() or "VALUE"
