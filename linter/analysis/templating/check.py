"""The static check of every tag and expression of a document, shared by the rules
`expression-syntax`, `unknown-variable`, `unknown-output`, `reference-order` and
`item-outside-loop`: one pass per document (cached in `ctx.cache`), findings grouped by rule.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import partial
from itertools import chain
from typing import Optional

from argolint.diagnostics import Finding, Severity
from argolint.analysis.templating import ast
from argolint.analysis.templating.scope import Problem, Where, resolve, split_key, template_scope
from argolint.analysis.templating.strings import EXPR, KEY, TAGGED_EXPR, WHEN, Text, spec_texts, template_texts
from argolint.analysis.templating.tags import Tag, scan
from argolint.analysis import per_document

_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\]}]")
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
_NUMERIC_OPS = frozenset({"-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>"})


def findings(ctx, rule_id: str) -> list[Finding]:
    """The findings of one of the templating rules in this document."""
    return per_document(ctx, "templating-findings", _check_document).get(rule_id, [])


def all_templates(spec) -> list:
    """Every template of the spec, inline templates (at any depth) included; computed once
    per WorkflowSpec object."""
    found = spec.__dict__.get("_all_templates")
    if found is not None:
        return found
    found = []
    stack = list(reversed(spec.templates))
    while stack:
        template = stack.pop()
        found.append(template)
        inline = [call.inline for call in chain(template.steps, template.tasks) if "inline" in call.data]
        stack.extend(reversed([t for t in inline if t is not None]))
    spec.__dict__["_all_templates"] = found
    return found


def texts_of(ctx, template) -> list[Text]:
    """The Texts of a template, once per document."""
    key = ("template-texts", template.path)
    texts = ctx.cache.get(key)
    if texts is None:
        texts = ctx.cache[key] = template_texts(template, may_hold_tags(ctx.document, template.path))
    return texts


def may_hold_tags(document, path) -> bool:
    """Whether the source of the node at `path` may contain a `{{` (a cheap text search
    that spares walking the data of the many templates without tags)."""
    info = document.nodes.get(tuple(path))
    if info is None or not getattr(info, "end", 0):
        return True
    text, start, end = info.source.text, info.start, info.end
    # an escape in a double-quoted scalar, or an alias to data written elsewhere, may hide one
    # (searched in place: most nodes have no `*` for the alias expression to look at)
    if text.find("{{", start, end) >= 0 or text.find("\\", start, end) >= 0:
        return True
    return text.find("*", start, end) >= 0 and _ALIAS.search(text[start:end]) is not None


_new_where = partial(tuple.__new__, Where)  # Where(...) with every field given, without its Python-level __new__


def _check_document(ctx) -> dict:
    out: dict = defaultdict(list)
    checker = _Checker(ctx, out)
    for text in spec_texts(ctx.spec, ctx.document, may_hold_tags(ctx.document, ctx.spec.path)):
        checker.text(Where(ctx, None, None, text.area), text)
    for template in all_templates(ctx.spec):
        texts = texts_of(ctx, template)
        if not texts:  # most templates hold no tag: no scope to build for them
            continue
        scope = template_scope(ctx, template)
        by_path = {info.call.path: info for info in scope.call_infos}
        for text in texts:
            call = by_path.get(text.call_path) if text.call_path is not None else None
            checker.text(_new_where((ctx, scope, call, text.area)), text)
    return out


class _Checker:
    def __init__(self, ctx, out):
        self.ctx = ctx
        self.out = out

    def report(self, rule: str, path, message, hint=None, start=None, end=None, severity=None,
               suggestion=None, at="value", suggestion_safe=False) -> None:
        self.out[rule].append(Finding(path, message, hint=hint, at=at, start=start, end=end, rule=rule,
                                      severity=severity, suggestion=suggestion, suggestion_safe=suggestion_safe))

    def problem(self, problem: Problem, path, start, end, suggestion=None, at="value") -> None:
        safe = problem.fix is not None and len(problem.fix) > 2 and problem.fix[2]
        self.report(problem.rule, path, problem.message, problem.hint, start, end, problem.severity,
                    suggestion, at, safe)

    # -- one string ------------------------------------------------------------------------

    def text(self, where: Where, text: Text) -> None:
        if text.kind == EXPR:
            self.expression(where, text, text.value, 0)
            return
        result = scan(text.value)
        at = "key" if text.kind == KEY else "value"
        if result.unclosed is not None:
            start = result.unclosed
            self.report("expression-syntax", text.path, "'{{' is never closed: Argo fails the whole template "
                        "(\"Cannot find end tag\")", "add the closing '}}'",
                        *((start, start + 2) if at == "value" else (None, None)), at=at)
        for tag in result.tags:
            self.tag(where, text, tag, at)
        if result.unclosed is not None:
            return
        if text.kind == WHEN:
            self.when(where, text, result.tags)
        elif text.kind == TAGGED_EXPR:
            # each tag becomes a name of its own length, so offsets stay exact
            source = list(text.value)
            for tag in result.tags:
                source[tag.start:tag.end] = "_" * (tag.end - tag.start)
            inner = Where(where.ctx, where.template, where.call, text.expression_area)
            self.expression(inner, text, "".join(source), 0)

    def tag(self, where: Where, text: Text, tag: Tag, at: str) -> None:
        if tag.is_expression:
            if at == "value":
                self.expression(where, text, tag.expression, tag.expression_start)
            return
        key = tag.key
        if not key:
            return
        if key.startswith("="):
            start, end = (tag.start, tag.end) if at == "value" else (None, None)
            self.report("expression-syntax", text.path, f"'{tag.text}' is not an expression tag: the space before "
                        "'=' makes it a simple tag that Argo leaves as written", f"write '{{{{={key[1:]}}}}}'",
                        start, end, Severity.WARNING, at=at)
            return
        if where.area == "defaults":
            return
        segments = split_key(key)
        problem = resolve(where, segments)
        if problem is None:
            return
        if tag.nested:  # only the innermost part is known before substitution
            start, end = tag.key_start, tag.key_end
            suggestion = _fixed_key(segments, problem)
        else:
            start, end = tag.start, tag.end
            fixed = _fixed_key(segments, problem)
            suggestion = None
            if fixed is not None:
                lead = tag.content[:len(tag.content) - len(tag.content.lstrip())]
                trail = tag.content[len(tag.content.rstrip()):]
                suggestion = "{{" + lead + fixed + trail + "}}"
        if at == "key":
            start = end = None
        self.problem(problem, text.path, start, end, suggestion, at)

    # -- expr-lang --------------------------------------------------------------------------

    def expression(self, where: Where, text: Text, source: str, offset: int) -> None:
        from argolint.analysis.templating.expr import called_functions, references, try_parse_expr

        tree, error = try_parse_expr(source)
        if error is not None:
            hint = error.hint
            if hint is None and source.count("{") > source.count("}"):
                hint = "an expression cannot contain '}}' (the first '}}' ends the tag); add a space: '} }'"
            self.report("expression-syntax", text.path, f"expression does not parse: {error.message}", hint,
                        offset + error.start, offset + max(error.end, error.start + 1))
            return
        if where.area == "defaults":
            return
        skip = self._hyphenated(where, text, tree, offset) if "-" in source else ()
        for ref in references(tree):
            if ref.node is not None and id(ref.node) in skip:
                continue
            if ref.path[0].strip("_") == "":
                continue  # a substituted tag (see TAGGED_EXPR)
            problem = resolve(where, ref.path, expression=True)
            if problem is None:
                continue
            if ref.guarded and problem.rule == "unknown-output":
                continue  # `x ?? default` and `a?.b` are how absent outputs are handled
            fixed = _fixed_key(ref.path, problem, expression=True)
            self.problem(problem, text.path, offset + ref.start, offset + ref.end, fixed)
        from argolint.analysis.templating.functions import BUILTINS

        for call in called_functions(tree):
            name = call.callee.name
            if name in BUILTINS:
                continue
            from argolint.diagnostics import closest

            match = closest(name, BUILTINS)
            self.report("unknown-variable", text.path, f"'{name}' is not a function Argo's expressions know",
                        f"did you mean '{match}'?" if match else "see expr-lang's built-ins and Argo's asInt, "
                        "asFloat, toJson, jsonpath, sprig.*", offset + call.callee.start, offset + call.callee.end,
                        suggestion=match)

    def _hyphenated(self, where: Where, text: Text, tree, offset: int) -> set:
        """`steps.flip-coin.outputs.result` inside an expression is a subtraction: when the
        names after a '-' are no variables, report the hyphenated path once, with its
        indexed form, instead of its pieces."""
        from argolint.analysis.templating.expr import member_path
        from argolint.analysis.templating.scope import KNOWN_ROOTS

        handled: set = set()
        for node in tree.walk():
            if not (isinstance(node, ast.Binary) and node.op == "-" and id(node) not in handled):
                continue
            operands = []
            cur = node
            while isinstance(cur, ast.Binary) and cur.op == "-":
                operands.append(cur.right)
                cur = cur.left
            operands.append(cur)
            operands.reverse()
            paths = [member_path(o) for o in operands]
            if any(p is None for p in paths) or len(paths[0][1]) < 2:
                continue
            if any(p[1][0] in KNOWN_ROOTS or p[1][0] == "sprig" for p in paths[1:]):
                continue  # a real subtraction of two variables
            joined = list(paths[0][1])
            for _, path in paths[1:]:
                joined[-1] = joined[-1] + "-" + path[0]
                joined.extend(path[1:])
            joined = tuple(joined)
            fixed = _format_path(joined)
            written = text_of(text, offset, node) if text is not None else fixed
            problem = resolve(where, joined, expression=True)
            hint = f"write {fixed}" + (f" (and note: {problem.message})" if problem is not None else "")
            self.report(problem.rule if problem is not None and problem.rule != "unknown-variable"
                        else "unknown-variable", text.path,
                        f"'{written}' is read as a subtraction: in expressions a name with '-' must be indexed",
                        hint, offset + node.start, offset + node.end, suggestion=fixed)
            sub = node
            while isinstance(sub, ast.Binary) and sub.op == "-":
                handled.add(id(sub))
                sub = sub.left
            for operand in operands:
                for inner in operand.walk():
                    handled.add(id(inner))
        return handled

    # -- govaluate (when) ---------------------------------------------------------------------

    def when(self, where: Where, text: Text, tags) -> None:
        from argolint.analysis.templating.when import try_parse_when

        # Only the shape matters here: blank out tag contents (same length, so spans hold)
        # and conditions that differ only in their tags share one parse.
        source = text.value
        if tags:
            parts, last = [], 0
            for tag in tags:
                if tag.start < last:
                    continue  # inside the outer part of a nested tag already blanked
                end = _outer_end(source, tag)
                parts.append(source[last:tag.start])
                parts.append("{{" + "_" * (end - tag.start - 4) + "}}")
                last = end
            parts.append(source[last:])
            source = "".join(parts)
        tree, error = try_parse_when(source)
        if error is not None:
            self.report("expression-syntax", text.path, f"`when` does not parse: {error.message}",
                        error.hint, error.start, max(error.end, error.start + 1))
            return
        if tree is None:
            return
        for node in tree.walk():
            if isinstance(node, ast.Accessor):
                self.report("expression-syntax", text.path,
                            f"'{node.name}' in `when` is read as a variable accessor and fails to evaluate",
                            f"quote it: '{node.name}'", node.start, node.end)
            elif isinstance(node, ast.Binary) and node.op in _NUMERIC_OPS:
                words = [o for o in (node.left, node.right) if isinstance(o, (ast.Word, ast.Literal))
                         and isinstance(o.value if isinstance(o, ast.Literal) else o.name, str)]
                if words and not any(isinstance(o, ast.Binary) for o in (node.left, node.right)):
                    written = text.value[node.start:node.end]
                    if node.op == "-" and all(isinstance(o, (ast.Word, ast.Placeholder)) for o in (node.left,
                                                                                                    node.right)):
                        message = f"'{written}' in `when` is read as a subtraction and fails on strings"
                        hint = f"quote the value: '{written}'"
                    else:
                        message = f"'{written}': operator '{node.op}' needs numbers, and a bare word is a string"
                        hint = "quote values that contain '-', '.', spaces or operators"
                    self.report("expression-syntax", text.path, message, hint, node.start, node.end)


def _outer_end(source: str, tag: Tag) -> int:
    """Where a tag ends once Argo has substituted what it nests: the scanner's tag of
    `{{steps.{{inputs.parameters.s}}.status}}` stops at the inner `}}`, and each `{{` inside
    it takes one more `}}` (argo-lint-checks §4.1). The whole is one run-time value."""
    end = tag.end
    for _ in range(tag.content.count("{{")):
        close = source.find("}}", end)
        opened = source.find("{{", end)
        if close == -1 or (opened != -1 and opened < close):
            break
        end = close + 2
    return end


def text_of(text: Text, offset: int, node) -> str:
    """The source of a node of an expression that starts at `offset` in the text."""
    return text.value[offset + node.start:offset + node.end]


def _format_path(path: tuple) -> str:
    """A member path as expr source: dots where names allow, ['x'] where they do not."""
    out = path[0]
    for seg in path[1:]:
        out += f".{seg}" if _IDENT.match(seg) else f"['{seg}']"
    return out


def _fixed_key(segments: tuple, problem: Problem, expression: bool = False) -> Optional[str]:
    if problem.fix is None:
        return None
    index, replacement = problem.fix[:2]
    if index >= len(segments):
        return None
    fixed = segments[:index] + (replacement,) + segments[index + 1:]
    return _format_path(fixed) if expression else ".".join(fixed)
