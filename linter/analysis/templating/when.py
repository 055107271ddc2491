"""Parse a `when` condition with govaluate's grammar and Argo's bare-word twist.

`parse_when(text)` parses the text as Argo would after substitution; `{{...}}` tags still in
it (a `when` read from a manifest) become `Placeholder` operands of unknown value, so the
shape of the condition can be checked before any value is known. Raises ExpressionError.
Parses are cached by text.
"""

from __future__ import annotations

from functools import lru_cache

from argolint.analysis.templating import ast
from argolint.analysis.templating.ast import ExpressionError
from argolint.analysis.templating.expr import _split

_PARSER = None
_SIGNIFICANT = frozenset({"TERNARY", "OR", "AND", "CMP", "IN", "BIT", "SHIFT", "ADD", "MUL", "POW", "PREFIX",
                          "NUMBER", "STRING", "TRUE", "FALSE", "WORD", "ESCAPED", "PLACEHOLDER"})


def _unquote(raw: str) -> str:
    """govaluate strings: a backslash escapes the next character, whatever it is."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def _number(text: str) -> float:
    if text.lower().startswith("0x"):
        return float(int(text[2:], 16))
    return float(text)


def _build_transformer():
    from argolint.analysis.templating.vendor.lark_runtime import Transformer

    def split(children):
        return _split(children, _SIGNIFICANT)

    def tspan(token):
        return token.start_pos, token.end_pos

    class Build(Transformer):
        def start(self, children):
            return split(children)[2][0]

        def binary(self, children):
            start, end, (left, op, right) = split(children)
            op = str(op)
            return ast.Binary(start, end, "in" if op == "IN" else op, left, right)

        def unary(self, children):
            start, end, (op, operand) = split(children)
            return ast.Unary(start, end, str(op), operand)

        def paren(self, children):
            return split(children)[2][0]

        def array(self, children):
            start, end, items = split(children)
            return ast.Array(start, end, items)

        def number(self, children):
            token = children[0]
            try:
                value = _number(str(token))
            except ValueError:
                raise ExpressionError(f"'{token}' is not a number", *tspan(token)) from None
            return ast.Literal(*tspan(token), value, "number")

        def string(self, children):
            token = children[0]
            return ast.Literal(*tspan(token), _unquote(str(token)), "string")

        def true(self, children):
            return ast.Literal(*tspan(children[0]), True, "bool")

        def false(self, children):
            return ast.Literal(*tspan(children[0]), False, "bool")

        def word(self, children):
            token = children[0]
            name = str(token)
            return (ast.Accessor if "." in name else ast.Word)(*tspan(token), name)

        def escaped(self, children):
            token = children[0]
            return ast.Word(*tspan(token), str(token)[1:-1])

        def placeholder(self, children):
            token = children[0]
            return ast.Placeholder(*tspan(token), str(token))

    return Build()


def _parser():
    global _PARSER
    if _PARSER is None:
        from argolint.analysis.templating.grammar_tables import load_parser

        _PARSER = load_parser("when", _build_transformer())
    return _PARSER


def _syntax_error(exc, text: str) -> ExpressionError:
    from argolint.analysis.templating.vendor.lark_runtime import UnexpectedCharacters, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = text[pos] if pos < len(text) else ""
        if ch in "\"'":
            return ExpressionError(f"unterminated string starting with {ch}", pos, len(text))
        return ExpressionError(f"unexpected character '{ch}'", pos, pos + 1)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            pos = len(text.rstrip())
            return ExpressionError("unexpected end of condition", max(0, pos - 1), max(pos, 1))
        start = token.start_pos or 0
        end = token.end_pos if token.end_pos is not None else start + 1
        if token.type in ("WORD", "PLACEHOLDER", "NUMBER", "STRING", "ESCAPED", "TRUE", "FALSE"):
            return ExpressionError(f"unexpected '{token}': two values in a row", start, end,
                                   hint="govaluate splits words at spaces; quote a value that contains spaces")
        return ExpressionError(f"unexpected '{token}'", start, end)
    return ExpressionError(str(exc), 0, len(text))


@lru_cache(maxsize=16384)
def _parse_cached(text: str):
    if not text.strip():
        return None
    tree = _simple(text)
    if tree is not None:
        return tree
    from argolint.analysis.templating.vendor.lark_runtime import LarkError, VisitError

    try:
        return _parser().parse(text)
    except ExpressionError as exc:
        return exc
    except VisitError as exc:
        if isinstance(exc.orig_exc, ExpressionError):
            return exc.orig_exc
        raise
    except LarkError as exc:
        return _syntax_error(exc, text)


# The tokens of the commonest conditions (`{{tasks.a.outputs.result}} == heads`, joined
# by && and ||, in parentheses), matched as the grammar's contextual lexer matches them:
# PLACEHOLDER first (its priority), then the others, which cannot start alike; anything
# else (another operator, a comma, `in`, a bad number) is left to lark.
_SIMPLE_TOKENS = (r"\s*(?:(?P<PLACEHOLDER>[A-Za-z0-9_.]*(?:\{\{(?:(?!\}\}).)*\}\}[A-Za-z0-9_.]*)+)"
                  r"|(?P<NUMBER>0x[0-9A-Fa-f]+|[0-9][0-9.]*)|(?P<WORD>[A-Za-z_][A-Za-z0-9_.]*)"
                  r"|(?P<STRING>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
                  r"|(?P<CMP>==|!=|>=|<=|=~|!~|>(?!>)|<(?!<))|(?P<AND>&&)|(?P<OR>\|\|)|(?P<LPAR>\()|(?P<RPAR>\)))")
_SIMPLE_DEPTH = 32  # of parentheses; deeper ones go to lark


@lru_cache(maxsize=1)
def _simple_tokens():
    import re

    return re.compile(_SIMPLE_TOKENS, re.S)


def _simple(text: str):
    """The tree lark's parse gives a condition made of values, comparisons, `&&`, `||`
    and parentheses, built without lark (whose tables and lexers cost some 10 ms to set
    up in a process); None for any other text, and for one that does not parse, which
    lark parses (and reports on)."""
    tokens = []
    position, end = 0, len(text)
    match = _simple_tokens().match
    while True:
        m = match(text, position)
        if m is None:
            if text[position:].strip():
                return None
            break
        kind = m.lastgroup
        start, position = m.span(kind)
        tokens.append((kind, start, position, m.group(kind)))
        if position == end:
            break
    tokens.append(("$END", end, end, ""))
    try:
        tree, at = _simple_chain(tokens, 0, 0)
    except _NotSimple:
        return None
    return tree if tokens[at][0] == "$END" else None


class _NotSimple(Exception):
    pass


# The binary operators of those conditions, lowest precedence first; all left-associative.
_SIMPLE_LEVELS = ("OR", "AND", "CMP")


def _simple_chain(tokens: list, at: int, depth: int, level: int = 0):
    if level == len(_SIMPLE_LEVELS):
        return _simple_value(tokens, at, depth)
    left, at = _simple_chain(tokens, at, depth, level + 1)
    while tokens[at][0] == _SIMPLE_LEVELS[level]:
        op = tokens[at][3]
        right, at = _simple_chain(tokens, at + 1, depth, level + 1)
        left = ast.Binary(left.start, right.end, op, left, right)
    return left, at


def _simple_value(tokens: list, at: int, depth: int):
    kind, start, end, raw = tokens[at]
    if kind == "PLACEHOLDER":
        return ast.Placeholder(start, end, raw), at + 1
    if kind == "WORD":
        if raw == "true" or raw == "false":
            return ast.Literal(start, end, raw == "true", "bool"), at + 1
        if raw == "in" or raw == "IN":
            raise _NotSimple()
        return (ast.Accessor if "." in raw else ast.Word)(start, end, raw), at + 1
    if kind == "NUMBER":
        try:
            return ast.Literal(start, end, _number(raw), "number"), at + 1
        except ValueError:
            raise _NotSimple() from None
    if kind == "STRING":
        return ast.Literal(start, end, _unquote(raw), "string"), at + 1
    if kind == "LPAR" and depth < _SIMPLE_DEPTH:
        inner, at = _simple_chain(tokens, at + 1, depth + 1)
        if tokens[at][0] == "RPAR":
            return inner, at + 1
    raise _NotSimple()


def parse_when(text: str):
    """The tree of a `when` (None for an empty one, which Argo treats as true); raises
    ExpressionError."""
    result = _parse_cached(text)
    if isinstance(result, ExpressionError):
        raise result
    return result


def try_parse_when(text: str):
    """(tree, None) or (None, ExpressionError)."""
    result = _parse_cached(text)
    return (None, result) if isinstance(result, ExpressionError) else (result, None)
