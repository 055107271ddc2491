"""The `depends` field of DAG tasks: a lark (LALR) grammar, a small AST, the span of every
task name inside the string, and the evaluation the controller applies to it.

Argo itself only pulls names out of `depends` with a regex and hands the rest to expr-lang
at run time, so `A &&` passes `argo lint` and fails in the cluster; parsing it properly
reports that before. When the string does not parse, the names are still found with a
lenient scan, so the DAG's edges (and its dangling references) stay visible.

The parser runtime is imported on first parse only; results are cached per string.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Callable, Iterator, NamedTuple, Optional, Union

from argolint.diagnostics import FrozenRecord

RESULTS = ("Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed")
# Results that only a looped task (a TaskGroup) can have.
ITEM_RESULTS = ("AnySucceeded", "AllFailed")

Span = tuple  # (start, end) character offsets into the depends string, end exclusive


class TaskResult(NamedTuple):
    """`name` or `name.Result` (result None for a bare name, which means
    Succeeded || Skipped || Daemoned, extended by the task's continueOn). A tuple: DAGs
    of thousands of tasks make thousands of these."""

    name: str
    result: Optional[str]
    span: Span
    result_span: Optional[Span] = None


# TaskResult(...) with every field given, without a NamedTuple's Python-level __new__
_new_result = partial(tuple.__new__, TaskResult)


class Not(FrozenRecord):
    _fields = ("operand",)

    def __init__(self, operand: "Node"):
        self.operand = operand


class And(FrozenRecord):
    _fields = ("operands",)

    def __init__(self, operands: tuple):
        self.operands = operands


class Or(FrozenRecord):
    _fields = ("operands",)

    def __init__(self, operands: tuple):
        self.operands = operands


Node = Union[TaskResult, Not, And, Or]


class DependsError(FrozenRecord):
    _fields = ("message", "span", "hint")

    def __init__(self, message: str, span: Span, hint: Optional[str] = None):
        self.message = message
        self.span = span
        self.hint = hint


class Depends(NamedTuple):
    """A parsed `depends` string. `ast` is None when the string is empty or does not parse;
    `refs` lists every task reference in order either way. A tuple: one per distinct
    string, thousands in a large DAG."""

    text: str
    ast: Optional[Node]
    refs: tuple
    error: Optional[DependsError] = None

    @property
    def names(self) -> list[str]:
        """The task names referenced, each once, in order of appearance."""
        return list(dict.fromkeys(ref.name for ref in self.refs))


# One REF token: a task name, optionally followed by `.Result` (no space around the dot,
# as in Argo's own regex). Names are lenient (`_` accepted) so that a bad name is reported
# once, by the name rules, not again here.
_REF = re.compile(r"([A-Za-z0-9_][-A-Za-z0-9_]*)(?:\.([A-Za-z0-9_]*))?")
# The common shapes `A`, `A && B && C`, `A || B`: parsed without lark.
_SIMPLE = re.compile(r"\s*(?:[A-Za-z0-9_][-A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?)"
                     r"(?:\s*(&&|\|\|)\s*[A-Za-z0-9_][-A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?)*\s*")

# `A && B && C`, bare task names joined by `&&`: the commonest `depends` by far, whose names
# can be read without a parse (see `bare_names`).
_NAME = re.compile(r"[A-Za-z0-9_][-A-Za-z0-9_]*")
_BARE_AND = re.compile(r"\s*[A-Za-z0-9_][-A-Za-z0-9_]*(?:\s*&&\s*[A-Za-z0-9_][-A-Za-z0-9_]*)*\s*")

_EXPECTED_WORDS = {
    "REF": "a task name", "_NOT": "'!'", "_LPAR": "'('", "_RPAR": "')'",
    "_AND": "'&&'", "_OR": "'||'", "$END": "the end",
}


def _task_result(token: str, start: int) -> TaskResult:
    """The reference a REF token found at offset `start` of the string stands for."""
    name, dot, result = token.partition(".")
    name_end = start + len(name)
    if not dot:
        return TaskResult(name, None, (start, name_end))
    return TaskResult(name, result, (start, name_end), (name_end + 1, start + len(token)))


def _scan_refs(text: str) -> tuple:
    refs = []
    for m in _REF.finditer(text):
        name, result = m.group(1, 2)
        refs.append(_new_result((name, result, m.span(1), None if result is None else m.span(2))))
    return tuple(refs)


@lru_cache(maxsize=1)
def _parser():
    from argolint.analysis.templating.vendor.lark_runtime import Transformer

    from argolint.analysis.templating.grammar_tables import load_parser

    class ToAst(Transformer):
        def __init__(self):
            super().__init__(visit_tokens=False)

        def or_expr(self, children):
            return Or(tuple(children))

        def and_expr(self, children):
            return And(tuple(children))

        def not_expr(self, children):
            return Not(children[0])

        def ref(self, children):
            token = children[0]
            return _task_result(token.value, token.start_pos)

    return load_parser("depends", ToAst())


def _simple(text: str) -> Optional[Node]:
    """The AST of a flat conjunction or disjunction, or None if the string is anything else.
    Split on the operator rather than scanned with `_REF`: this runs once per task of a
    large DAG, and a split is a third of the cost of a regex scan."""
    if _SIMPLE.fullmatch(text) is None:
        return None
    has_and, has_or = "&&" in text, "||" in text
    if has_and and has_or:
        return None  # mixed && and || need precedence: lark's job
    refs = []
    offset = 0
    for part in text.split("||" if has_or else "&&"):
        token = part.strip()
        start = offset + part.index(token)
        offset += len(part) + 2
        name, dot, result = token.partition(".")
        end = start + len(name)
        refs.append(_new_result((name, result, (start, end), (end + 1, start + len(token)))) if dot
                    else _new_result((name, None, (start, end), None)))
    if len(refs) == 1:
        return refs[0]
    return Or(tuple(refs)) if has_or else And(tuple(refs))


# One token of a `depends` after optional blanks (the grammar's %ignore): an operator or
# parenthesis (group 1), or a REF (group 2).
_TOKEN = r"[ \t\r\n]*(?:(\|\||&&|[!()])|([A-Za-z0-9_][-A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)?))"
# Parentheses and `!` nested deeper than this are left to lark (no recursion limit there).
_MAX_NESTING = 50


@lru_cache(maxsize=1)
def _token_pattern():
    return re.compile(_TOKEN)


def _nested(text: str) -> Optional[Node]:
    """The AST lark builds for a `depends` that parses (parentheses, `!`, mixed `&&` and
    `||`), by recursive descent over the same tokens; None for a string that does not
    parse (or nests deeper than _MAX_NESTING), whose error lark describes. Loading lark's
    tables and lexer for the one string of a lint that is not `_simple` costs ~2 ms."""
    tokens = []
    match = _token_pattern().match
    pos, end = 0, len(text.rstrip(" \t\r\n"))
    while pos < end:
        found = match(text, pos)
        if found is None:
            return None
        operator, ref = found.group(1, 2)
        tokens.append((operator, _task_result(ref, found.start(2)) if ref is not None else None))
        pos = found.end()
    tokens.append(("$END", None))
    at = 0

    def unary(depth: int):
        nonlocal at
        operator, ref = tokens[at]
        at += 1
        if ref is not None:
            return ref
        if depth > _MAX_NESTING:
            return None
        if operator == "!":
            operand = unary(depth + 1)
            return None if operand is None else Not(operand)
        if operator == "(":
            inner = either(depth + 1)
            if inner is None or tokens[at][0] != ")":
                return None
            at += 1
            return inner
        return None

    def joined(operator: str, operand, node_class, depth: int):
        nonlocal at
        first = operand(depth)
        if first is None or tokens[at][0] != operator:
            return first
        operands = [first]
        while tokens[at][0] == operator:
            at += 1
            following = operand(depth)
            if following is None:
                return None
            operands.append(following)
        return node_class(tuple(operands))

    def both(depth: int):
        return joined("&&", unary, And, depth)

    def either(depth: int):
        return joined("||", both, Or, depth)

    ast = either(0)
    return ast if ast is not None and tokens[at][0] == "$END" else None


def _refs_of(node: Node) -> Iterator[TaskResult]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, TaskResult):
            yield current
        elif isinstance(current, Not):
            stack.append(current.operand)
        else:
            stack.extend(reversed(current.operands))


def _expected(names) -> str:
    words = [_EXPECTED_WORDS.get(n, n) for n in ("REF", "_NOT", "_LPAR", "_AND", "_OR", "_RPAR", "$END") if n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _last_token_span(text: str) -> Span:
    stripped = text.rstrip()
    match = re.search(r"(&&|\|\||[()!]|" + _REF.pattern + r")$", stripped)
    return (match.start(), match.end()) if match else (max(0, len(stripped) - 1), len(stripped))


def _syntax_error(text: str, exc) -> DependsError:
    from argolint.analysis.templating.vendor.lark_runtime import UnexpectedCharacters, UnexpectedToken

    operators_hint = "combine task names with '&&', '||', '!' and parentheses"
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        char = text[pos]
        hint = "write '&&' for and, '||' for or" if char in "&|" else operators_hint
        return DependsError(f"unexpected character '{char}' in depends", (pos, pos + 1), hint)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            return DependsError(f"depends ends too early: expected {_expected(exc.expected)} at the end",
                                _last_token_span(text), operators_hint)
        found = f"task name '{token.value}'" if token.type == "REF" else f"'{token.value}'"
        return DependsError(f"unexpected {found} in depends; expected {_expected(exc.expected)}",
                            (token.start_pos, token.start_pos + len(token.value)), operators_hint)
    return DependsError(f"depends does not parse: {exc}", (0, len(text)), operators_hint)


_new_depends = partial(tuple.__new__, Depends)  # Depends(...) with every field given, faster


@lru_cache(maxsize=65536)
def parse_depends(text: str) -> Depends:
    """Parse a `depends` string (cached per string)."""
    if not text.strip():
        return Depends(text, None, ())
    simple = _simple(text)
    if simple is not None:
        return _new_depends((text, simple, simple.operands if type(simple) is not TaskResult else (simple,), None))
    ast = _nested(text)
    if ast is not None:
        return Depends(text, ast, tuple(_refs_of(ast)))
    from argolint.analysis.templating.vendor.lark_runtime import UnexpectedInput

    try:
        ast = _parser().parse(text)
    except UnexpectedInput as exc:
        return Depends(text, None, _scan_refs(text), _syntax_error(text, exc))
    return Depends(text, ast, tuple(_refs_of(ast)))


def bare_names(text: str) -> Optional[list[str]]:
    """The names of a `depends` made of bare task names joined by `&&`, read without
    parsing it (nothing in such a string can be wrong but a name); None for any other
    string. A DAG of thousands of tasks asks this once per task."""
    if _BARE_AND.fullmatch(text) is None:
        return None
    return _NAME.findall(text)


def is_unconditional(depends: Depends) -> bool:
    """Whether the task runs whenever its dependencies succeed: a conjunction of bare names
    and `.Succeeded` results, with no `!` and no `||`."""
    ast = depends.ast
    if ast is None:
        return depends.error is None
    operands = ast.operands if isinstance(ast, And) else (ast,)
    return all(isinstance(o, TaskResult) and o.result in (None, "Succeeded") for o in operands)


def evaluate(node: Node, value_of: Callable[[TaskResult], bool]) -> bool:
    """Evaluate an AST; `value_of` gives the truth of one `name` / `name.Result`."""
    if isinstance(node, TaskResult):
        return value_of(node)
    if isinstance(node, Not):
        return not evaluate(node.operand, value_of)
    if isinstance(node, And):
        return all(evaluate(o, value_of) for o in node.operands)
    return any(evaluate(o, value_of) for o in node.operands)
