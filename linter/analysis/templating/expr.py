"""Parse expr-lang (Argo's `{{= ... }}` language) into the trees of `argolint.analysis.templating.ast`.

`parse_expr(text)` returns the tree or raises `ExpressionError` (offsets into `text`). It
checks what expr rejects when compiling, independent of variables: syntax, mixing `??` with
other operators without parentheses, `#` outside a predicate, a closure where no predicate is
taken, and the arity of built-in functions. Parses are cached by text.

`references(tree)` lists the variables an expression reads, as constant member paths
(`steps['flip-coin'].outputs.result` -> ("steps", "flip-coin", "outputs", "result")).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from argolint.analysis.templating import ast
from argolint.analysis.templating.ast import ExpressionError
from argolint.analysis.templating.functions import BUILTINS, PREDICATE_ARGUMENTS, arity_text
from argolint.diagnostics import FrozenRecord

_PARSER = None
_WORD_OPERATOR = re.compile(r"(?:or|and|not|in|matches|contains|startsWith|endsWith)\b")
_OPS = {"||": "or", "&&": "and", "!": "not", "^": "**"}
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", "'": "'", '"': '"', "`": "`"}


def _op(token) -> str:
    value = str(token)
    return _OPS.get(value, value)


def unquote(raw: str) -> str:
    """The value of an expr string literal (Go-style escapes; backquotes are raw)."""
    quote, body = raw[0], raw[1:-1]
    if quote == "`" or "\\" not in body:
        return body
    out = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = body[i + 2:i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
            except ValueError:
                raise ValueError(f"invalid escape '\\{nxt}{digits}'") from None
            i += 2 + width
        elif nxt in "01234567":
            digits = body[i + 1:i + 4]
            try:
                out.append(chr(int(digits, 8)))
            except ValueError:
                raise ValueError(f"invalid escape '\\{digits}'") from None
            i += 4
        else:
            raise ValueError(f"invalid escape '\\{nxt}'")
    return "".join(out)


def _int(text: str) -> int:
    text = text.replace("_", "")
    lower = text.lower()
    if lower.startswith("0x"):
        return int(text[2:], 16)
    if lower.startswith("0o"):
        return int(text[2:], 8)
    if lower.startswith("0b"):
        return int(text[2:], 2)
    return int(text)


_SIGNIFICANT = frozenset({"NAME", "WORD_OP", "STRING", "INT", "FLOAT", "TRUE", "FALSE", "NIL", "POINTER", "OR", "AND",
                          "NOT", "CMP", "NEGATABLE", "RANGE", "ADD", "MUL", "POW", "COALESCE", "OPT_DOT"})


def _split(children, significant=_SIGNIFICANT):
    """(start, end, children without punctuation) of a rule's children. The parser keeps
    every token (lark's inline transformers get no positions otherwise); spans come from the
    first and last token or node, and punctuation is dropped (None placeholders stay)."""
    first = last = None
    kept = []
    for child in children:
        if child is None:
            kept.append(None)
            continue
        if first is None:
            first = child
        last = child
        if isinstance(child, ast.Node) or isinstance(child, tuple) or isinstance(child, list) \
                or child.type in significant:
            kept.append(child)
    return _start_of(first), _end_of(last), kept


def _start_of(item):
    if isinstance(item, ast.Node):
        return item.start
    if isinstance(item, (tuple, list)):
        return _start_of(item[0])
    return item.start_pos


def _end_of(item):
    if isinstance(item, ast.Node):
        return item.end
    if isinstance(item, (tuple, list)):
        return _end_of(item[-1])
    return item.end_pos


def _build_transformer():
    from argolint.analysis.templating.vendor.lark_runtime import Transformer

    def tspan(token):
        return token.start_pos, token.end_pos

    class Build(Transformer):
        text = ""  # the text being parsed (set before each parse)

        def start(self, children):
            return _split(children)[2][0]

        def sequence(self, children):
            start, end, kids = _split(children)
            return ast.Sequence(start, end, kids)

        def let(self, children):
            start, end, (name, value, body) = _split(children)
            return ast.Let(start, end, str(name), value, body)

        def if_expr(self, children):
            start, end, (cond, then, otherwise) = _split(children)
            return ast.If(start, end, cond, then, otherwise)

        def ternary(self, children):
            start, end, (cond, then, otherwise) = _split(children)
            return ast.Conditional(start, end, cond, then, otherwise)

        def elvis(self, children):
            start, end, (cond, otherwise) = _split(children)
            return ast.Conditional(start, end, cond, cond, otherwise)

        def pipe_call(self, children):
            start, end, (left, name, args) = _split(children)
            callee = ast.Name(*tspan(name), str(name))
            return self._call(start, end, callee, [left] + (args or []))

        def binary(self, children):
            start, end, (left, op, right) = _split(children)
            op_name = _op(op)
            if op_name != "??":
                self._no_coalesce_mix(left, op)
            return ast.Binary(start, end, op_name, left, right)

        def _no_coalesce_mix(self, left, op):
            """expr refuses `a ?? b + c` (a `??` directly left of another operator)."""
            if isinstance(left, ast.Binary) and left.op == "??" and ")" not in self.text[left.end:op.start_pos]:
                raise ExpressionError(
                    f"operator '{op}' and coalesce expressions (??) cannot be mixed",
                    op.start_pos, op.end_pos, hint="wrap either side in parentheses")

        def comparison(self, children):
            kids = _split(children)[2]
            node = prev = kids[0]
            self._no_coalesce_mix(node, kids[1][2])
            chained = False
            for i in range(1, len(kids), 2):
                op, negated, _ = kids[i]
                right = kids[i + 1]
                ordering = op in ("<", ">", "<=", ">=")
                if ordering and chained:
                    cmp = ast.Binary(prev.start, right.end, op, prev, right)
                    node = ast.Binary(node.start, right.end, "and", node, cmp)
                else:
                    node = ast.Binary(node.start, right.end, op, node, right)
                    if negated:
                        node = ast.Unary(node.start, node.end, "not", node)
                chained = ordering
                prev = right
            return node

        def cmp_op(self, children):
            token = children[0]
            return (str(token), False, token)

        def negated_op(self, children):
            return (str(children[1]), True, children[1])

        def unary(self, children):
            start, end, (op, operand) = _split(children)
            return ast.Unary(start, end, _op(op), operand)

        def member(self, children):
            start, end, (obj, name) = _split(children)
            return ast.Member(start, end, obj, str(name))

        def optional_member(self, children):
            start, end, (obj, _, name) = _split(children)
            return ast.Member(start, end, obj, str(name), optional=True)

        def index(self, children):
            start, end, (obj, index) = _split(children)
            return ast.Index(start, end, obj, index)

        def optional_index(self, children):
            start, end, (obj, _, index) = _split(children)
            return ast.Index(start, end, obj, index, optional=True)

        def slice(self, children):
            start, end, (obj, lower, upper) = _split(children)
            return ast.Slice(start, end, obj, lower, upper)

        def call(self, children):
            start, end, (callee, args) = _split(children)
            return self._call(start, end, callee, args or [])

        def _call(self, start, end, callee, args):
            name = callee.name if isinstance(callee, ast.Name) else None
            predicates = PREDICATE_ARGUMENTS.get(name, ())
            for i, arg in enumerate(args):
                if i in predicates:
                    if not isinstance(arg, ast.Closure):
                        args[i] = ast.Closure(arg.start, arg.end, arg)
                elif isinstance(arg, ast.Closure):
                    where = f"'{name}' takes no predicate here" if name else "only built-ins such as filter() take one"
                    raise ExpressionError(f"a closure {{...}} is not allowed here: {where}", arg.start, arg.end)
            if name in BUILTINS:
                low, high = BUILTINS[name]
                if len(args) < low or (high is not None and len(args) > high):
                    raise ExpressionError(f"{name}() takes {arity_text(name)}, got {len(args)}", start, end)
            return ast.Call(start, end, callee, args)

        def closure(self, children):
            start, end, kids = _split(children)
            return ast.Closure(start, end, kids[0])

        def paren(self, children):
            return _split(children)[2][0]

        def int(self, children):
            token = children[0]
            return ast.Literal(*tspan(token), _int(str(token)), "int")

        def float(self, children):
            token = children[0]
            return ast.Literal(*tspan(token), float(str(token).replace("_", "")), "float")

        def string(self, children):
            token = children[0]
            try:
                value = unquote(str(token))
            except ValueError as exc:
                raise ExpressionError(str(exc), *tspan(token)) from None
            return ast.Literal(*tspan(token), value, "string")

        def true(self, children):
            return ast.Literal(*tspan(children[0]), True, "bool")

        def false(self, children):
            return ast.Literal(*tspan(children[0]), False, "bool")

        def nil(self, children):
            return ast.Literal(*tspan(children[0]), None, "nil")

        def name(self, children):
            token = children[0]
            return ast.Name(*tspan(token), str(token))

        def pointer(self, children):
            token = children[0]
            return ast.Pointer(*tspan(token), str(token)[1:])

        def pointer_member(self, children):
            start, end, (token,) = _split(children)
            return ast.Member(start, end, ast.Pointer(start, start + 1, ""), str(token))

        def array(self, children):
            start, end, kids = _split(children)
            return ast.Array(start, end, kids[0] or [])

        def items(self, children):
            return _split(children)[2]

        def map(self, children):
            start, end, kids = _split(children)
            return ast.Map(start, end, kids[0] or [])

        def entries(self, children):
            return _split(children)[2]

        def entry(self, children):
            kids = _split(children)[2]
            return kids[0], kids[1]

        def key_name(self, children):
            token = children[0]
            return ast.Literal(*tspan(token), str(token), "string")

        def key_string(self, children):
            return self.string(children)

        def key_int(self, children):
            return self.int(children)

        def arguments(self, children):
            return _split(children)[2]

    return Build()


def _parser():
    global _PARSER
    if _PARSER is None:
        from argolint.analysis.templating.grammar_tables import load_parser

        transformer = _build_transformer()
        _PARSER = (load_parser("expr", transformer), transformer)
    return _PARSER


_TOKEN_NAMES = {
    "RPAR": "')'", "LPAR": "'('", "RSQB": "']'", "LSQB": "'['", "RBRACE": "'}'", "LBRACE": "'{'",
    "COMMA": "','", "COLON": "':'", "DOT": "'.'", "SEMICOLON": "';'", "QMARK": "'?'",
    "NAME": "a name", "STRING": "a string", "INT": "a number", "FLOAT": "a number",
    "$END": "the end of the expression",
}


def _describe(token) -> str:
    if token.type == "$END":
        return "end of expression"
    return f"'{token}'"


def _syntax_error(exc, text: str) -> ExpressionError:
    from argolint.analysis.templating.vendor.lark_runtime import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = text[pos] if pos < len(text) else ""
        if ch in "\"'`":
            return ExpressionError(f"unterminated string starting with {ch}", pos, len(text))
        word = _WORD_OPERATOR.match(text, pos)
        if word:
            return ExpressionError(f"unexpected '{word.group()}'", pos, word.end())
        return ExpressionError(f"unexpected character '{ch}'", pos, pos + 1)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            pos = len(text.rstrip())
            return ExpressionError("unexpected end of expression" + _expecting(exc), max(0, pos - 1), max(pos, 1))
        start = token.start_pos if token.start_pos is not None else 0
        end = token.end_pos if token.end_pos is not None else start + 1
        return ExpressionError(f"unexpected {_describe(token)}" + _expecting(exc), start, end)
    if isinstance(exc, UnexpectedEOF):
        pos = len(text.rstrip())
        return ExpressionError("unexpected end of expression", max(0, pos - 1), max(pos, 1))
    return ExpressionError(str(exc), 0, len(text))


def _expecting(exc) -> str:
    expected = sorted({_TOKEN_NAMES[t] for t in (exc.expected or ()) if t in _TOKEN_NAMES})
    if 0 < len(expected) <= 3:
        return ", expecting " + " or ".join(expected)
    return ""


# Deeper than any expression a person writes, and shallow enough that every walk over a
# tree (references, the dry run's interpreter) stays far from Python's recursion limit.
MAX_EXPRESSION_DEPTH = 100


def _check_tree(tree: ast.Node) -> None:
    """`#` and `.name` only mean something inside a predicate; no tree is nested deeper than
    MAX_EXPRESSION_DEPTH (the parser builds it without recursion; its users recurse)."""
    stack = [(tree, False, 1)]
    while stack:
        node, inside, depth = stack.pop()
        if isinstance(node, ast.Pointer) and not inside:
            raise ExpressionError("'#' (or a leading '.') is only valid inside a predicate such as filter(xs, # > 1)",
                                  node.start, node.end)
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_EXPRESSION_DEPTH} levels (operators, calls, "
                                  "brackets inside one another); split it with `let`", node.start, node.end)
        inside = inside or isinstance(node, ast.Closure)
        stack.extend((child, inside, depth + 1) for child in node.children())


@lru_cache(maxsize=16384)
def _parse_cached(text: str):
    from argolint.analysis.templating.vendor.lark_runtime import LarkError, VisitError

    if not text.strip():
        return ExpressionError("empty expression", 0, len(text))
    parser, transformer = _parser()
    transformer.text = text
    try:
        tree = parser.parse(text)
        _check_tree(tree)
    except ExpressionError as exc:
        return exc
    except VisitError as exc:
        if isinstance(exc.orig_exc, ExpressionError):
            return exc.orig_exc
        raise
    except LarkError as exc:
        return _syntax_error(exc, text)
    return tree


def parse_expr(text: str) -> ast.Node:
    """The syntax tree of an expr-lang expression; raises ExpressionError."""
    result = _parse_cached(text)
    if isinstance(result, ExpressionError):
        raise result
    return result


def try_parse_expr(text: str):
    """(tree, None) or (None, ExpressionError): no exception for callers that report."""
    result = _parse_cached(text)
    return (None, result) if isinstance(result, ExpressionError) else (result, None)


class Reference(FrozenRecord):
    """A variable read by an expression: its constant path, where it is, and whether Argo
    tolerates its absence (left of `??`, or behind `?.`)."""

    _fields = ("path", "start", "end", "guarded", "node")

    def __init__(self, path: tuple, start: int, end: int, guarded: bool = False, node: Optional[ast.Node] = None):
        self.path = path
        self.start = start
        self.end = end
        self.guarded = guarded
        self.node = node


def member_path(node: ast.Node):
    """(root Name, constant path) of a chain of members / constant indexes, else None."""
    parts = []
    while True:
        if isinstance(node, ast.Member):
            parts.append(node.name)
            node = node.obj
        elif isinstance(node, ast.Index) and isinstance(node.index, ast.Literal) \
                and isinstance(node.index.value, str):
            parts.append(node.index.value)
            node = node.obj
        elif isinstance(node, ast.Name):
            parts.append(node.name)
            return node, tuple(reversed(parts))
        else:
            return None


def references(tree: ast.Node) -> list[Reference]:
    """Every variable the expression reads, as its longest constant member path; local
    names (`let`, closures) and called function names are not variables."""
    out: list[Reference] = []
    _collect(tree, out, frozenset(), False)
    return out


def _collect(node, out, local, guarded):
    if isinstance(node, (ast.Member, ast.Index)):
        found = member_path(node)
        if found is not None:
            root, path = found
            if root.name not in local:
                optional = _has_optional(node)
                out.append(Reference(path, node.start, node.end, guarded or optional, node))
            return
        _collect(node.obj, out, local, guarded or getattr(node, "optional", False))
        if isinstance(node, ast.Index):
            _collect(node.index, out, local, False)
        return
    if isinstance(node, ast.Name):
        if node.name not in local:
            out.append(Reference((node.name,), node.start, node.end, guarded, node))
        return
    if isinstance(node, ast.Call):
        callee = node.callee
        if isinstance(callee, ast.Member):
            _collect(callee.obj, out, local, guarded)
        elif not isinstance(callee, ast.Name):
            _collect(callee, out, local, guarded)
        for arg in node.args:
            _collect(arg, out, local, False)
        return
    if isinstance(node, ast.Binary) and node.op == "??":
        _collect(node.left, out, local, True)
        _collect(node.right, out, local, guarded)
        return
    if isinstance(node, ast.Let):
        _collect(node.value, out, local, False)
        _collect(node.body, out, local | {node.name}, guarded)
        return
    for child in node.children():
        _collect(child, out, local, False)


def _has_optional(node) -> bool:
    while isinstance(node, (ast.Member, ast.Index)):
        if node.optional:
            return True
        node = node.obj
    return False


def called_functions(tree: ast.Node) -> list[ast.Call]:
    """Calls whose callee is a plain name (built-ins, Argo functions)."""
    return [n for n in tree.walk() if isinstance(n, ast.Call) and isinstance(n.callee, ast.Name)]
