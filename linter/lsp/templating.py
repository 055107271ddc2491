"""Hover on a `{{tag}}` and completion inside `{{`, over the shared templating model.

The tag scanner (`templating.tags.scan`), the strings Argo substitutes with their areas
(`templating.strings`) and the scope model (`templating.scope`: `Where`, `resolve`) are
the ones the rules use, read-only: a completion offers exactly the names the
`unknown-variable` / `unknown-output` / `reference-order` / `item-outside-loop` rules
accept at that point, because every candidate is checked with the same `resolve`.

What is here: finding the string and the tag under the cursor, listing candidate names
(the scope model answers "is this name valid here?", not "which names are"), and
describing what a name refers to. When the buffer does not parse because of the tag being
typed (`value: {{steps.` starts a YAML flow mapping), the cursor's line is repaired (the
value quoted) and parsed again, so completion still knows where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from argolint.diagnostics import Span
from argolint.lsp.workspace import BufferLint, parse

MAX_ITEMS = 200
_NAME_TAIL = re.compile(r"[\w.\-\[\]']*")

GLOBALS = {
    "workflow.name": "the workflow's name (metadata.name; generated from generateName)",
    "workflow.namespace": "the workflow's namespace",
    "workflow.uid": "the workflow's UID",
    "workflow.mainEntrypoint": "the entrypoint the workflow started with",
    "workflow.serviceAccountName": "spec.serviceAccountName (may be empty)",
    "workflow.status": "the workflow's phase: Running while it runs; Succeeded, Failed or Error in exit handlers",
    "workflow.duration": "seconds since the workflow started",
    "workflow.creationTimestamp": "when the workflow was created (RFC 3339)",
    "workflow.creationTimestamp.RFC3339": "when the workflow was created (RFC 3339)",
    "workflow.creationTimestamp.s": "when the workflow was created (Unix seconds)",
    "workflow.failures": "exit handlers: a JSON list of the failed nodes",
    "workflow.priority": "spec.priority",
    "workflow.scheduledTime": "when a CronWorkflow scheduled this run",
    "workflow.parameters": "every workflow parameter, as a JSON list",
    "workflow.parameters.json": "every workflow parameter, as a JSON list",
    "workflow.labels.json": "the workflow's labels, as a JSON object",
    "workflow.annotations.json": "the workflow's annotations, as a JSON object",
    "pod.name": "the name of the pod this template runs in",
    "node.name": "the full node name of this template's invocation",
    "steps.name": "the name of the step that called this template",
    "tasks.name": "the name of the task that called this template",
    "retries": "the retry attempt: 0, 1, 2 ...",
    "lastRetry.exitCode": "the previous attempt's exit code",
    "lastRetry.status": "the previous attempt's phase",
    "lastRetry.duration": "the previous attempt's duration in seconds",
    "lastRetry.message": "the previous attempt's message",
}
NODE_FIELDS = {
    "status": "its phase: Succeeded, Failed, Error, Skipped ...",
    "id": "its node ID",
    "exitCode": "its main container's exit code",
    "startedAt": "when it started (RFC 3339)",
    "finishedAt": "when it finished (RFC 3339)",
}


@dataclass
class TagInfo:
    span: Span
    markdown: str
    in_scope: bool = True  # False: the markdown says why the name is not valid there


@dataclass
class Item:
    label: str  # the whole name, `inputs.parameters.rows`
    insert: str  # what replaces `Completion.replace`: the rest of the name from the word typed
    detail: str = ""
    documentation: str = ""
    filter: str = ""  # the text matched against the word typed (the label from that word on)


@dataclass
class Completion:
    # The text the chosen item replaces: the word being typed (after the last `.` or `-`)
    # and the rest of the name after the cursor. Starting at the word, not at `{{`, means
    # clients that ignore the range and insert at the keyword start (Neovim's omnifunc)
    # insert the same text.
    replace: Span
    items: list = field(default_factory=list)


@dataclass
class _Spot:
    """A position inside a scalar that Argo substitutes."""

    lint: BufferLint
    document: object
    path: tuple
    value: str
    index: int  # cursor offset in `value`
    offsets: list  # value index -> offset in `source`
    source: object  # the text the scalar's node points into (NodeInfo.source)
    where: object  # templating.scope.Where, or None when the string is not substituted


# -- where the cursor is -------------------------------------------------------------------


def _scalar_at(lint: BufferLint, line: int, column: int):
    """(document, path, NodeInfo, offset) of the scalar value holding line:column, the
    offset in the text the node points into (`NodeInfo.source`)."""
    for doc in lint.loaded.documents:
        for path, info in doc.nodes.items():
            offset = info.source.offset(line, column)
            if info.style is not None and info.start <= offset <= info.end:
                if info.style in ("'", '"') and not info.start < offset < info.end:
                    continue  # on a quote, outside the value
                return doc, path, info, offset
    return None


def _where(lint: BufferLint, document, path: tuple):
    """The scope model's Where for the string at `path`, or None if Argo does not
    substitute it (or the document is not an Argo one)."""
    if not document.is_argo:
        return None
    from argolint.lint.engine import Context
    from argolint.analysis.templating.check import all_templates, texts_of
    from argolint.analysis.templating.scope import Where, template_scope
    from argolint.analysis.templating.strings import spec_texts

    ctx = Context(document, lint.project, lint.config)
    owner = None
    for template in all_templates(ctx.spec):
        if path[: len(template.path)] == template.path and (owner is None or len(template.path) > len(owner.path)):
            owner = template
    if owner is None:
        for text in spec_texts(ctx.spec, document):
            if text.path == path:
                return Where(ctx, None, None, text.area)
        return None
    scope = template_scope(ctx, owner)
    for text in texts_of(ctx, owner):
        if text.path == path:
            by_path = {info.call.path: info for info in scope.call_infos}
            call = by_path.get(text.call_path) if text.call_path is not None else None
            return Where(ctx, scope, call, text.area)
    return None


def _spot(lint: BufferLint, line: int, column: int) -> Optional[_Spot]:
    from argolint.load.positions import scalar_offsets

    if not 0 < line <= len(lint.loaded.source.line_starts):
        return None
    found = _scalar_at(lint, line, column)
    if found is None:
        return None
    doc, path, info, offset = found
    value = doc.get(path)
    if not isinstance(value, str):
        return None
    offsets = scalar_offsets(info.source.text, info.start, info.end, info.style, value)
    index = next((i for i, o in enumerate(offsets) if o >= offset), len(value))
    return _Spot(lint, doc, path, value, index, offsets, info.source, _where(lint, doc, path))


def _span(spot: _Spot, start: int, end: int) -> Span:
    src = spot.source
    a = spot.offsets[start]
    b = spot.offsets[end - 1] + 1 if end > start else a
    return src.span(a, b)


# -- hover -----------------------------------------------------------------------------------


def describe_tag(lint: BufferLint, line: int, column: int) -> Optional[TagInfo]:
    """What the simple tag under the cursor refers to."""
    from argolint.analysis.templating.scope import split_key
    from argolint.analysis.templating.tags import scan

    spot = _spot(lint, line, column)
    if spot is None or spot.where is None:
        return None
    tag = next((t for t in scan(spot.value).tags if t.start <= spot.index < t.end), None)
    if tag is None:
        return None
    if tag.is_expression:
        return _describe_in_expression(spot, tag)
    if not tag.key:
        return None
    segments = split_key(tag.key)
    return TagInfo(_span(spot, tag.start, tag.end), *_explain(spot.where, segments, expression=False))


def _explain(where, segments: tuple, expression: bool) -> tuple[str, bool]:
    """Markdown about a name, and whether it is in scope."""
    from argolint.analysis.templating.scope import resolve

    key = ".".join(segments)
    problem = resolve(where, segments, expression=expression)
    if problem is not None:
        return f"`{key}`: {problem.message}" + (f"; {problem.hint}" if problem.hint else ""), False
    return _describe(where, segments) or f"`{key}`", True


def _describe_in_expression(spot: _Spot, tag) -> Optional[TagInfo]:
    """The variable under the cursor inside `{{= ...}}`."""
    from argolint.analysis.templating.expr import references, try_parse_expr

    tree, error = try_parse_expr(tag.expression)
    if tree is None:
        return None
    at = spot.index - tag.expression_start
    ref = next((r for r in references(tree) if r.start <= at < r.end), None)
    if ref is None:
        return None
    start = tag.expression_start + ref.start
    return TagInfo(_span(spot, start, tag.expression_start + ref.end), *_explain(spot.where, ref.path, True))


def _parameter_facts(data: dict) -> str:
    facts = []
    for key in ("value", "default"):
        if key in data:
            facts.append(f"{key} `{data[key]}`")
    if isinstance(data.get("enum"), list):
        facts.append("one of " + ", ".join(f"`{v}`" for v in data["enum"]))
    if isinstance(data.get("valueFrom"), dict):
        source = ", ".join(f"{k}: `{v}`" for k, v in data["valueFrom"].items() if not isinstance(v, (dict, list)))
        facts.append(f"valueFrom {source or 'set'}")
    if isinstance(data.get("description"), str):
        facts.append(data["description"])
    return "; ".join(facts)


def _named(items, name):
    return next((p for p in items if isinstance(p, dict) and p.get("name") == name), None)


def _template_of(where, info):
    """The Template a step/task runs, when it can be found."""
    from argolint.analysis.graph import resolve_template_ref
    from argolint.model import WorkflowSpec
    from argolint.analysis.templating.scope import local_template

    call = info.call
    if call.inline is not None:
        return call.inline
    ref = call.template_ref
    if ref is not None:
        doc = resolve_template_ref(where.ctx.project, ref, where.ctx.document.namespace)
        return WorkflowSpec.of(doc).template(ref.template) if doc is not None else None
    return local_template(where.ctx, call.template_name) if call.template_name else None


def _describe(where, segments: tuple) -> Optional[str]:
    root, rest = segments[0], segments[1:]
    key = ".".join(segments)
    if root == "inputs" and len(rest) >= 2 and where.template is not None:
        template = where.template.template
        items = template.inputs.get(rest[0]) if isinstance(template.inputs.get(rest[0]), list) else []
        declared = _named(items, rest[1])
        noun = "input parameter" if rest[0] == "parameters" else "input artifact"
        facts = _parameter_facts(declared) if declared else ""
        return f"`{key}`: {noun} `{rest[1]}` of template `{where.template.name}`" + (f": {facts}" if facts else "")
    if root == "workflow" and rest[:1] == ("parameters",) and len(rest) == 2 and rest[1] != "json":
        ctx = where.ctx
        specs = [ctx.spec.data]
        if ctx.referenced_workflow_template is not None:
            from argolint.model import WorkflowSpec

            specs.append(WorkflowSpec.of(ctx.referenced_workflow_template).data)
        for data in specs:
            arguments = data.get("arguments") if isinstance(data.get("arguments"), dict) else {}
            declared = _named(arguments.get("parameters") or [], rest[1])
            if declared is not None:
                facts = _parameter_facts(declared)
                return f"`{key}`: workflow parameter `{rest[1]}`" + (f": {facts}" if facts else "")
        return f"`{key}`: workflow parameter `{rest[1]}`"
    if root == "workflow" and rest[:1] in (("labels",), ("annotations",)) and len(rest) == 2:
        return f"`{key}`: the workflow's {rest[0][:-1]} `{rest[1]}`"
    if root == "workflow" and rest[:1] == ("outputs",) and len(rest) == 3:
        return f"`{key}`: the global output {rest[1][:-1]} exported as `{rest[2]}` (globalName)"
    if root in ("steps", "tasks") and len(rest) >= 2:
        return _describe_call(where, root, rest, key)
    if root == "item":
        call = where.loop_call
        if call is None:
            return None
        noun = "step" if call.group is not None else "task"
        loop = call.call.data.get(call.loop)
        shown = (f"`{loop}`" if isinstance(loop, str) else f"{len(loop)} items" if isinstance(loop, list)
                 else "a sequence")
        what = f"key `{rest[0]}` of each item" if rest else "each item"
        return f"`{key}`: {what} of {noun} `{call.name}`'s {call.loop} ({shown})"
    if key in GLOBALS:
        return f"`{key}`: {GLOBALS[key]}"
    prefix = next((g for g in ("workflow.creationTimestamp", "workflow.duration", "workflow.scheduledTime")
                   if key.startswith(g + ".")), None)
    return f"`{key}`: {GLOBALS[prefix]}" if prefix else None


def _describe_call(where, root: str, rest: tuple, key: str) -> Optional[str]:
    scope, _ = where.calls_scope()
    info = scope.calls.get(rest[0]) if scope is not None else None
    if info is None:
        return None
    noun = "step" if root == "steps" else "task"
    template = _template_of(where, info)
    runs = f"template `{template.name}`" if template is not None and template.name else "its template"
    head = f"`{key}`: {noun} `{info.name}`" + (f" (group {info.group + 1})" if info.group is not None else "")
    head += f", which runs {runs}"
    loop = f"; a {info.loop} loop, so this is a JSON list of every item's value" if info.loop else ""
    field_name = rest[1]
    if field_name in NODE_FIELDS:
        return f"{head}: {NODE_FIELDS[field_name]}"
    if field_name != "outputs" or len(rest) < 3:
        return head
    kind = rest[2]
    if kind == "result":
        return f"{head}: what it printed on stdout{loop}"
    if kind in ("parameters", "artifacts") and len(rest) >= 4 and template is not None:
        declared = _named(template.outputs.get(kind) or [], rest[3])
        facts = _parameter_facts(declared) if declared else ""
        if declared and kind == "artifacts" and isinstance(declared.get("path"), str):
            facts = f"path `{declared['path']}`"
        noun_out = "output parameter" if kind == "parameters" else "output artifact"
        return f"{head}: its {noun_out} `{rest[3]}`" + (f" ({facts})" if facts else "") + loop
    return head


# -- completion ------------------------------------------------------------------------------


def _candidates(where) -> dict:
    """Names that might be in scope at `where`, each with a short description; the caller
    keeps those `resolve` accepts."""
    from argolint.analysis.templating.scope import ctx_document_scope

    out = dict(GLOBALS)
    doc = ctx_document_scope(where.ctx)
    for name in sorted(doc.parameters):
        out[f"workflow.parameters.{name}"] = "workflow parameter"
    for name in sorted(doc.labels):
        out[f"workflow.labels.{name}"] = "workflow label"
    for name in sorted(doc.annotations):
        out[f"workflow.annotations.{name}"] = "workflow annotation"
    for kind, names in doc.global_outputs.items():
        for name in sorted(names):
            out[f"workflow.outputs.{kind}.{name}"] = f"global output {kind[:-1]}"
    scope = where.template
    if scope is not None:
        for name in sorted(scope.input_parameters):
            out[f"inputs.parameters.{name}"] = f"input parameter of '{scope.name}'"
        for name in sorted(scope.input_artifacts):
            out[f"inputs.artifacts.{name}.path"] = f"input artifact path of '{scope.name}'"
        for name in sorted(scope.output_parameters):
            out[f"outputs.parameters.{name}.path"] = f"output parameter path of '{scope.name}'"
        for name in sorted(scope.output_artifacts):
            out[f"outputs.artifacts.{name}.path"] = f"output artifact path of '{scope.name}'"
    calls, _ = where.calls_scope()
    if calls is not None and calls.kind in ("steps", "dag"):
        root = "steps" if calls.kind == "steps" else "tasks"
        for info in calls.call_infos:
            if info.name is None:
                continue
            base = f"{root}.{info.name}"
            producer = info.producer
            what = f"{'step' if root == 'steps' else 'task'} '{info.name}'"
            out[f"{base}.outputs.result"] = f"stdout of {what}"
            for name in sorted(producer.parameters or ()):
                out[f"{base}.outputs.parameters.{name}"] = f"output parameter of {what}"
            for name in sorted(producer.artifacts or ()):
                out[f"{base}.outputs.artifacts.{name}"] = f"output artifact of {what}"
            for name, text in NODE_FIELDS.items():
                out[f"{base}.{name}"] = f"{what}: {text}"
    loop = where.loop_call
    if loop is not None and loop.loop is not None:
        out["item"] = f"the current item of '{loop.name}'"
        for key in sorted(loop.item_keys or ()):
            out[f"item.{key}"] = f"key of the items of '{loop.name}'"
    if where.area == "pod":  # a pod-level field of the spec: what each pod's template offers
        from argolint.analysis.templating.podlevel import receiving_places

        for place in receiving_places(where.ctx, calls=False) + receiving_places(where.ctx, calls=True):
            for key, text in _candidates(place).items():
                out.setdefault(key, text)
    return out


def complete(lint: BufferLint, line: int, column: int) -> Optional[Completion]:
    """The names in scope for the simple tag being typed at the cursor, or None when the
    cursor is not inside `{{ ... }}` of a string Argo substitutes."""
    from argolint.analysis.templating.scope import resolve, split_key

    shift = None  # column from which the repaired line is one character longer
    spot = _spot(lint, line, column)
    if spot is None or spot.where is None:
        repaired = _repaired(lint, line, column)
        if repaired is None:
            return None
        lint, shift = repaired
        spot = _spot(lint, line, column + 1 if column >= shift else column)
        if spot is None or spot.where is None:
            return None
    before = spot.value[: spot.index]
    open_at = before.rfind("{{")
    if open_at == -1 or before.rfind("}}") > open_at:
        return None
    typed = before[open_at + 2:]
    if typed.lstrip().startswith("="):
        return None  # expressions: not offered (their names need ['-'] indexing)
    start = open_at + 2 + (len(typed) - len(typed.lstrip()))
    typed = typed.lstrip()
    word = max((i + 1 for i, c in enumerate(typed) if not (c.isalnum() or c == "_")), default=0)
    after = spot.value[spot.index:]
    tail = _NAME_TAIL.match(after).group(0)
    closes = after[len(tail):].lstrip().startswith("}}")
    replace = _span(spot, start + word, spot.index + len(tail))
    if shift is not None:
        replace = Span(replace.line, replace.column - (replace.line == line and replace.column > shift),
                       replace.end_line, replace.end_column - (replace.end_line == line and replace.end_column > shift))
    items = []
    for name, detail in _candidates(spot.where).items():
        if not name.startswith(typed):
            continue
        segments = split_key(name)
        if resolve(spot.where, segments) is None:
            items.append(Item(name, name[word:] + ("" if closes else "}}"), detail, _describe(spot.where, segments) or "",
                              name[word:]))
    order = {"inputs": 0, "steps": 1, "tasks": 1, "item": 1, "workflow": 2}
    items.sort(key=lambda i: (order.get(i.label.split(".")[0], 3), i.label))
    return Completion(replace, items[:MAX_ITEMS])


def _repaired(lint: BufferLint, line: int, column: int) -> Optional[tuple]:
    """The buffer with the cursor's line made parseable, when a value that starts with the
    tag being typed broke the YAML (`key: {{steps.` is a flow mapping): the rest of the line
    is quoted. Returns the re-parsed lint and the column of the opening quote."""
    lines = lint.loaded.source.lines
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    repaired = _quoted_value(text, column) or _closed_line(text)
    if repaired is None:
        return None
    fixed_line, shift = repaired
    new_text = "\n".join(lines[: line - 1] + [fixed_line] + lines[line:])
    loaded = parse(new_text, lint.loaded.path, lint.config)
    if not loaded.documents or any(d.rule == "yaml-syntax" for d in loaded.diagnostics):
        return None
    from argolint.analysis.project import Project

    project = Project()
    project.add(loaded)
    for other in lint.project.indexed_files:
        project.add(other, reported=False)
    fixed = BufferLint(lint.key, lint.version, new_text, loaded, project, lint.config, [], lint.generation)
    return fixed, shift


def _quoted_value(text: str, column: int) -> Optional[tuple]:
    """`key: {{steps.` (a flow mapping to YAML) with the rest of the line quoted, and the
    column of the opening quote."""
    open_at = text.rfind("{{", 0, max(0, column - 1))
    if open_at == -1 or not re.search(r"(?:^|:|-)\s*$", text[:open_at]):
        return None
    body = text[open_at:].rstrip()
    quote = "'" if "'" not in body else '"' if '"' not in body and "\\" not in body else None
    if quote is None:
        return None
    return text[:open_at] + quote + body + quote, open_at + 1


def _closed_line(text: str) -> Optional[tuple]:
    """`args: ["{{inputs.` with the quote and brackets still open on the line closed at its
    end (`"]`), so the line parses while the user types; None when nothing is open. The
    cursor's column does not move (the shift is past the end of the line)."""
    stack: list = []
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if quote is not None:
            if c == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    i += 1  # '' inside single quotes
                else:
                    quote = None
        elif c in "'\"" and (i == 0 or text[i - 1] in " \t[{,:"):
            quote = c
        elif c in "[{":
            stack.append("]" if c == "[" else "}")
        elif c in "]}" and stack:
            stack.pop()
        elif c == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        i += 1
    closers = (quote or "") + "".join(reversed(stack))
    if not closers:
        return None
    return text.rstrip() + closers, len(text) + 2
