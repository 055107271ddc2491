"""Syntax trees of Argo's two expression languages, as plain dataclasses with spans.

Every node has `start` and `end`: character offsets [start, end) into the text that was
parsed (the expression after `{{=`, or the `when` string). Add the tag's offset
(`Tag.expression_start`) to map them into the scalar, and `Document.span_of(path,
start=, end=)` maps that to file line:column.

expr-lang (`{{= ... }}`, hook `expression`, `valueFrom.expression`, ...), built by
`argolint.analysis.templating.expr.parse_expr(text)`. Operators are normalised: `&&` -> `and`,
`||` -> `or`, `!` -> `not`, `^` -> `**`; `a not in b` is `Unary("not", Binary("in", a, b))`
(likewise `not contains|matches|startsWith|endsWith`); a comparison chain `a < b < c` is
`Binary("and", Binary("<", a, b), Binary("<", b, c))` with `b` shared, exactly as expr
compiles it; `x | f(y)` is `Call(Name("f"), [x, y])`; `a ?: b` is `Conditional(a, a, b)`.

    Literal(value, kind)          kind: "int" | "float" | "string" | "bool" | "nil"
    Name(name)                    a root identifier (variable or function name)
    Pointer(name)                 `#` (name ""), `#index`, `#acc` inside closures
    Member(obj, name, optional)   `obj.name`, `obj?.name`; `.name` alone in a closure is
                                  Member(Pointer(""), name)
    Index(obj, index, optional)   `obj[index]`, `obj?.[index]`
    Slice(obj, lower, upper)      `obj[lower:upper]` (either bound may be None)
    Call(callee, args)            callee is a Name (function) or a Member (method/sprig.fn)
    Closure(body)                 a predicate argument (`{# > 1}` or `# > 1` given to a
                                  builtin that takes a predicate)
    Unary(op, operand)            op: "not" | "-" | "+"
    Binary(op, left, right)       op: "or" "and" "==" "!=" "<" ">" "<=" ">=" "in"
                                  "matches" "contains" "startsWith" "endsWith" ".."
                                  "+" "-" "*" "/" "%" "**" "??"
    Conditional(cond, then, otherwise)
    Array(items)
    Map(entries)                  entries: list of (key, value); a bare-word key is a
                                  string Literal
    Let(name, value, body)        `let name = value; body`
    Sequence(items)               `a; b` evaluates both, yields the last
    If(cond, then, otherwise)     `if c { a } else { b }`

govaluate (`when` after substitution), built by
`argolint.analysis.templating.when.parse_when(text)`. Argo's twist is explicit in the tree: a bare
word is a `Word` (evaluates to its own text), a word with a dot is an `Accessor` (always an
evaluation error in Argo). Quoted strings are `Literal(kind="string")`; govaluate turns one
that parses as a date/time into a time value, which is the evaluator's business.

    Literal(value, kind)          kind: "number" (float) | "string" | "bool"
    Word(name)                    bare word or `[escaped name]`: the string `name`
    Accessor(name)                `a.b`: govaluate's accessor, an error at evaluation
    Placeholder(text)             a word made of `{{...}}` tags (and letters next to them)
                                  in a `when` parsed before substitution: unknown value
    Unary(op, operand)            op: "!" | "-" | "~"
    Binary(op, left, right)       op: "||" "&&" "==" "!=" ">" ">=" "<" "<=" "=~" "!~"
                                  "in" "&" "|" "^" "<<" ">>" "+" "-" "*" "/" "%" "**"
                                  and govaluate's ternary operators "?" (left true ->
                                  right, else nil), ":" (left non-nil -> left, else
                                  right) and "??"; all left-associative, so
                                  `a ? b : c` is Binary(":", Binary("?", a, b), c)
    Array(items)                  `(a, b, c)`, the right side of `in`

All trees are immutable by convention and shared between callers (parses are cached):
never mutate a node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional


@dataclass(eq=False)
class Node:
    start: int
    end: int

    def children(self) -> Iterator["Node"]:
        return iter(())

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, depth first, left to right."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children())))


# -- shared by both languages ---------------------------------------------------------------


@dataclass(eq=False)
class Literal(Node):
    value: Any
    kind: str


@dataclass(eq=False)
class Unary(Node):
    op: str
    operand: Node

    def children(self):
        yield self.operand


@dataclass(eq=False)
class Binary(Node):
    op: str
    left: Node
    right: Node

    def children(self):
        yield self.left
        yield self.right


@dataclass(eq=False)
class Array(Node):
    items: list = field(default_factory=list)

    def children(self):
        yield from self.items


# -- expr-lang ----------------------------------------------------------------------------


@dataclass(eq=False)
class Name(Node):
    name: str


@dataclass(eq=False)
class Pointer(Node):
    name: str = ""


@dataclass(eq=False)
class Member(Node):
    obj: Node
    name: str
    optional: bool = False

    def children(self):
        yield self.obj


@dataclass(eq=False)
class Index(Node):
    obj: Node
    index: Node
    optional: bool = False

    def children(self):
        yield self.obj
        yield self.index


@dataclass(eq=False)
class Slice(Node):
    obj: Node
    lower: Optional[Node] = None
    upper: Optional[Node] = None

    def children(self):
        yield self.obj
        if self.lower is not None:
            yield self.lower
        if self.upper is not None:
            yield self.upper


@dataclass(eq=False)
class Call(Node):
    callee: Node
    args: list = field(default_factory=list)

    def children(self):
        yield self.callee
        yield from self.args


@dataclass(eq=False)
class Closure(Node):
    body: Node

    def children(self):
        yield self.body


@dataclass(eq=False)
class Conditional(Node):
    cond: Node
    then: Node
    otherwise: Node

    def children(self):
        yield self.cond
        if self.then is not self.cond:
            yield self.then
        yield self.otherwise


@dataclass(eq=False)
class Map(Node):
    entries: list = field(default_factory=list)  # [(key Node, value Node)]

    def children(self):
        for key, value in self.entries:
            yield key
            yield value


@dataclass(eq=False)
class Let(Node):
    name: str
    value: Node
    body: Node

    def children(self):
        yield self.value
        yield self.body


@dataclass(eq=False)
class Sequence(Node):
    items: list = field(default_factory=list)

    def children(self):
        yield from self.items


@dataclass(eq=False)
class If(Node):
    cond: Node
    then: Node
    otherwise: Node

    def children(self):
        yield self.cond
        yield self.then
        yield self.otherwise


# -- govaluate ------------------------------------------------------------------------------


@dataclass(eq=False)
class Word(Node):
    name: str


@dataclass(eq=False)
class Accessor(Node):
    name: str


@dataclass(eq=False)
class Placeholder(Node):
    text: str


class ExpressionError(Exception):
    """A text that does not parse (or compile). `start`/`end` are offsets into the parsed
    text, like node spans."""

    def __init__(self, message: str, start: int, end: int, hint: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.hint = hint
