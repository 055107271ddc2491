"""Every string of a template (and of the workflow spec) that Argo substitutes or evaluates.

One walk over a template's data yields `Text`s: the path of a string value (or of a mapping
key) holding `{{`, plus every `when` and every field that is itself an expr-lang expression
(hook `expression`, `valueFrom.expression`, `fromExpression`, `retryStrategy.expression`,
...). Each Text carries its area (see `scope.Where`) and, inside a step or task, that
call's path. Inline templates are skipped here: they are templates of their own.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple, Optional

TEXT, WHEN, EXPR, KEY, TAGGED_EXPR = "text", "when", "expr", "key", "tagged-expr"
# The area whose scope substitutes the tags inside an expression field of another area.
_TAG_AREA = {"retry": "body", "data": "body", "http": "body"}
# Fields of the spec copied into each pod and substituted there (see podlevel.py).
POD_LEVEL_FIELDS = frozenset({"podSpecPatch", "nodeSelector", "tolerations", "affinity", "podMetadata", "volumes"})


class Text(NamedTuple):  # a tuple: a DAG of thousands of tasks makes thousands of these
    path: tuple
    value: str
    area: str
    call_path: Optional[tuple] = None
    kind: str = TEXT  # TEXT: tags; WHEN: tags + govaluate; EXPR: an expr-lang field; KEY: a mapping key;
    # TAGGED_EXPR: an expr-lang field holding tags (checked with each tag as a placeholder name)
    expression_area: Optional[str] = None  # for TAGGED_EXPR: the area of the expression itself


_new_text = partial(tuple.__new__, Text)  # Text(...) with every field given, without its Python-level __new__


class _Collector:
    __slots__ = ("out", "tags")

    def __init__(self, tags: bool = True):
        self.out: list[Text] = []
        self.tags = tags  # False: the source holds no `{{`, only when/expression fields matter

    def walk(self, value, path: tuple, area: str, call: Optional[tuple]) -> None:
        if not self.tags:
            return
        if isinstance(value, str):  # most values: no stack needed
            if "{{" in value:
                self.out.append(_new_text((path, value, area, call, TEXT, None)))
            return
        # iterative: manifests can nest deeply (scripts in lists in maps ...); strings
        # without a tag are not pushed (they add nothing, so the order of Texts holds)
        stack = [(value, path)]
        out = self.out
        while stack:
            value, path = stack.pop()
            if isinstance(value, str):
                out.append(_new_text((path, value, area, call, TEXT, None)))  # only strings with a tag are pushed
            elif isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(k, str) and "{{" in k:
                        out.append(_new_text((path + (k,), k, area, call, KEY, None)))
                    if isinstance(v, str):
                        if "{{" in v:
                            stack.append((v, path + (k,)))
                    elif isinstance(v, (dict, list)):
                        stack.append((v, path + (k,)))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, str):
                        if "{{" in v:
                            stack.append((v, path + (i,)))
                    elif isinstance(v, (dict, list)):
                        stack.append((v, path + (i,)))

    def expression(self, value, path: tuple, area: str, call: Optional[tuple]) -> None:
        """A field that is an expr-lang expression. Its `{{tags}}`, if any, are substituted
        first, with the scope of the template around it (TAGGED_EXPR)."""
        if isinstance(value, str):
            if "{{" in value:
                self.out.append(Text(path, value, _TAG_AREA.get(area, area), call, TAGGED_EXPR, area))
            else:
                self.out.append(_new_text((path, value, area, call, EXPR, None)))

    def call(self, data, path: tuple, area: str = "call") -> None:
        """A step or a DAG task."""
        if not isinstance(data, dict):
            return
        for key, value in data.items():
            if isinstance(value, str) and key != "when" and key != "inline":  # most fields: a plain string
                if self.tags and "{{" in value:
                    self.out.append(_new_text((path + (key,), value, area, path, TEXT, None)))
                continue
            kpath = path + (key,)
            if key == "inline":
                continue
            if key == "when" and isinstance(value, str):
                self.out.append(_new_text((kpath, value, area, path, WHEN, None)))
            elif key == "hooks" and isinstance(value, dict):
                for name, hook in value.items():
                    hpath = kpath + (name,)
                    if not isinstance(hook, dict):
                        self.walk(hook, hpath, "hook", path)
                        continue
                    for hkey, hvalue in hook.items():
                        if hkey == "expression":
                            self.expression(hvalue, hpath + (hkey,), "hook", path)
                        else:
                            self.arguments_or_walk(hkey, hvalue, hpath + (hkey,), "hook", path)
            else:
                self.arguments_or_walk(key, value, kpath, area, path)

    def arguments_or_walk(self, key, value, path, area, call) -> None:
        if key == "arguments" and isinstance(value, dict):
            for akey, avalue in value.items():
                if akey == "artifacts" and isinstance(avalue, list):
                    self.artifacts(avalue, path + (akey,), area, call)
                elif akey == "parameters" and isinstance(avalue, list):
                    self.parameters(avalue, path + (akey,), area, call)
                else:
                    self.walk(avalue, path + (akey,), area, call)
        else:
            self.walk(value, path, area, call)

    def parameters(self, items: list, path: tuple, area: str, call) -> None:
        """`arguments.parameters`: `walk`, written out for the commonest place of a tag
        (a DAG of thousands of tasks passes each a parameter or two)."""
        if not self.tags:
            return
        out = self.out
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self.walk(item, path + (i,), area, call)
                continue
            for k, v in item.items():
                if isinstance(k, str) and "{{" in k:
                    out.append(_new_text((path + (i, k), k, area, call, KEY, None)))
                if isinstance(v, str):
                    if "{{" in v:
                        out.append(_new_text((path + (i, k), v, area, call, TEXT, None)))
                elif isinstance(v, (dict, list)):
                    self.walk(v, path + (i, k), area, call)

    def artifacts(self, items: list, path: tuple, area: str, call) -> None:
        for i, item in enumerate(items):
            if isinstance(item, dict) and "fromExpression" in item:
                for k, v in item.items():
                    if k == "fromExpression":
                        self.expression(v, path + (i, k), area, call)
                    else:
                        self.walk(v, path + (i, k), area, call)
            else:
                self.walk(item, path + (i,), area, call)

    def outputs(self, value, path: tuple, area: str) -> None:
        if not isinstance(value, dict):
            self.walk(value, path, area, None)
            return
        for key, items in value.items():
            kpath = path + (key,)
            if key == "parameters" and isinstance(items, list):
                for i, param in enumerate(items):
                    valued = param.get("valueFrom") if isinstance(param, dict) else None
                    if isinstance(valued, dict) and "expression" in valued:
                        for k, v in param.items():
                            if k == "valueFrom":
                                for vk, vv in valued.items():
                                    vpath = kpath + (i, k, vk)
                                    if vk == "expression":
                                        self.expression(vv, vpath, area, None)
                                    else:
                                        self.walk(vv, vpath, area, None)
                            else:
                                self.walk(v, kpath + (i, k), area, None)
                    else:
                        self.walk(param, kpath + (i,), area, None)
            elif key == "artifacts" and isinstance(items, list):
                self.artifacts(items, kpath, area, None)
            else:
                self.walk(items, kpath, area, None)


def template_texts(template, tags: bool = True) -> list[Text]:
    """The Texts of one template (steps, tasks, outputs, metrics, body ...). `tags=False`
    says its source holds no `{{` (only `when`s and expression fields are collected)."""
    c = _Collector(tags)
    data = template.data
    path = template.path
    composite = "steps" in data or "dag" in data
    for key, value in data.items():
        kpath = path + (key,)
        if c.tags and isinstance(key, str) and "{{" in key:
            c.out.append(_new_text((kpath, key, "body", None, KEY, None)))
        if key == "steps" and isinstance(value, list):
            for g, group in enumerate(value):
                if isinstance(group, list):
                    for i, step in enumerate(group):
                        c.call(step, kpath + (g, i))
                elif isinstance(group, dict):
                    c.call(group, kpath + (g,))
        elif key == "dag" and isinstance(value, dict):
            for dkey, dvalue in value.items():
                dpath = kpath + (dkey,)
                if dkey == "tasks" and isinstance(dvalue, list):
                    for i, task in enumerate(dvalue):
                        c.call(task, dpath + (i,))
                elif dkey == "target":
                    c.walk(dvalue, dpath, "target", None)
                else:
                    c.walk(dvalue, dpath, "body", None)
        elif key == "outputs":
            c.outputs(value, kpath, "outputs" if composite else "body")
        elif key == "metrics":
            c.walk(value, kpath, "metrics", None)
        elif key == "retryStrategy" and isinstance(value, dict):
            for rkey, rvalue in value.items():
                if rkey == "expression":
                    c.expression(rvalue, kpath + (rkey,), "retry", None)
                else:
                    c.walk(rvalue, kpath + (rkey,), "body", None)
        elif key == "data" and isinstance(value, dict):
            for dkey, dvalue in value.items():
                if dkey == "transformation" and isinstance(dvalue, list):
                    for i, step in enumerate(dvalue):
                        if isinstance(step, dict) and "expression" in step:
                            c.expression(step["expression"], kpath + (dkey, i, "expression"), "data", None)
                        else:
                            c.walk(step, kpath + (dkey, i), "body", None)
                else:
                    c.walk(dvalue, kpath + (dkey,), "body", None)
        elif key == "http" and isinstance(value, dict):
            for hkey, hvalue in value.items():
                if hkey == "successCondition":
                    c.expression(hvalue, kpath + (hkey,), "http", None)
                else:
                    c.walk(hvalue, kpath + (hkey,), "body", None)
        elif key == "inputs" and isinstance(value, dict):
            for ikey, ivalue in value.items():
                if ikey == "artifacts" and isinstance(ivalue, list):
                    c.artifacts(ivalue, kpath + (ikey,), "body", None)
                else:
                    c.walk(ivalue, kpath + (ikey,), "body", None)
        else:
            c.walk(value, kpath, "body", None)
    return c.out


def spec_texts(spec, document, tags: bool = True) -> list[Text]:
    """The Texts of the workflow spec outside its templates (globals only), and of a
    CronWorkflow's own `when` / `stopStrategy`."""
    c = _Collector(tags)
    for key, value in spec.data.items():
        kpath = spec.path + (key,)
        if key == "templates":
            continue
        if key == "templateDefaults":
            c.walk(value, kpath, "defaults", None)
        elif key in POD_LEVEL_FIELDS:
            c.walk(value, kpath, "pod", None)
        elif key == "metrics":
            c.walk(value, kpath, "metrics", None)
        elif key == "hooks" and isinstance(value, dict):
            for name, hook in value.items():
                if isinstance(hook, dict):
                    for hkey, hvalue in hook.items():
                        if hkey == "expression":
                            c.expression(hvalue, kpath + (name, hkey), "spec", None)
                        else:
                            c.walk(hvalue, kpath + (name, hkey), "spec", None)
                else:
                    c.walk(hook, kpath + (name,), "spec", None)
        elif key == "workflowMetadata" and isinstance(value, dict):
            for wkey, wvalue in value.items():
                if wkey == "labelsFrom" and isinstance(wvalue, dict):
                    for label, source in wvalue.items():
                        if isinstance(source, dict) and "expression" in source:
                            c.expression(source["expression"], kpath + (wkey, label, "expression"), "spec", None)
                        else:
                            c.walk(source, kpath + (wkey, label), "spec", None)
                else:
                    c.walk(wvalue, kpath + (wkey,), "spec", None)
        else:
            c.walk(value, kpath, "spec", None)
    if document.kind == "CronWorkflow" and isinstance(document.data, dict):
        cron = document.data.get("spec")
        if isinstance(cron, dict):
            for key, value in cron.items():
                if key == "workflowSpec":
                    continue
                kpath = ("spec", key)
                if key == "stopStrategy" and isinstance(value, dict) and "expression" in value:
                    c.expression(value["expression"], kpath + ("expression",), "cron", None)
                else:
                    c.walk(value, kpath, "cron", None)
    return c.out
