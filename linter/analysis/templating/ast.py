"""Syntax trees of Argo's two expression languages, as plain classes with spans.

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

from reprlib import recursive_repr
from typing import Any, Iterator, Optional

_NEW_LIST: Any = object()  # the default of a list field: a new empty list


class Node:
    """A node and its span. Plain classes with their `__init__` written out rather than
    dataclasses: generating the methods of some twenty dataclasses costs ~5 ms at every
    start. `__repr__` and `__match_args__` are a dataclass's; equality is identity."""

    start: int
    end: int
    __match_args__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        code = cls.__init__.__code__
        cls.__match_args__ = code.co_varnames[1:code.co_argcount]

    @recursive_repr()
    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__qualname__}({fields})"

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


class Literal(Node):
    value: Any
    kind: str

    def __init__(self, start: int, end: int, value: Any, kind: str):
        self.start = start
        self.end = end
        self.value = value
        self.kind = kind


class Unary(Node):
    op: str
    operand: Node

    def __init__(self, start: int, end: int, op: str, operand: Node):
        self.start = start
        self.end = end
        self.op = op
        self.operand = operand

    def children(self):
        yield self.operand


class Binary(Node):
    op: str
    left: Node
    right: Node

    def __init__(self, start: int, end: int, op: str, left: Node, right: Node):
        self.start = start
        self.end = end
        self.op = op
        self.left = left
        self.right = right

    def children(self):
        yield self.left
        yield self.right


class Array(Node):
    items: list

    def __init__(self, start: int, end: int, items: list = _NEW_LIST):
        self.start = start
        self.end = end
        self.items = [] if items is _NEW_LIST else items

    def children(self):
        yield from self.items


# -- expr-lang ----------------------------------------------------------------------------


class Name(Node):
    name: str

    def __init__(self, start: int, end: int, name: str):
        self.start = start
        self.end = end
        self.name = name


class Pointer(Node):
    name: str = ""

    def __init__(self, start: int, end: int, name: str = ""):
        self.start = start
        self.end = end
        self.name = name


class Member(Node):
    obj: Node
    name: str
    optional: bool = False

    def __init__(self, start: int, end: int, obj: Node, name: str, optional: bool = False):
        self.start = start
        self.end = end
        self.obj = obj
        self.name = name
        self.optional = optional

    def children(self):
        yield self.obj


class Index(Node):
    obj: Node
    index: Node
    optional: bool = False

    def __init__(self, start: int, end: int, obj: Node, index: Node, optional: bool = False):
        self.start = start
        self.end = end
        self.obj = obj
        self.index = index
        self.optional = optional

    def children(self):
        yield self.obj
        yield self.index


class Slice(Node):
    obj: Node
    lower: Optional[Node] = None
    upper: Optional[Node] = None

    def __init__(self, start: int, end: int, obj: Node, lower: Optional[Node] = None, upper: Optional[Node] = None):
        self.start = start
        self.end = end
        self.obj = obj
        self.lower = lower
        self.upper = upper

    def children(self):
        yield self.obj
        if self.lower is not None:
            yield self.lower
        if self.upper is not None:
            yield self.upper


class Call(Node):
    callee: Node
    args: list

    def __init__(self, start: int, end: int, callee: Node, args: list = _NEW_LIST):
        self.start = start
        self.end = end
        self.callee = callee
        self.args = [] if args is _NEW_LIST else args

    def children(self):
        yield self.callee
        yield from self.args


class Closure(Node):
    body: Node

    def __init__(self, start: int, end: int, body: Node):
        self.start = start
        self.end = end
        self.body = body

    def children(self):
        yield self.body


class Conditional(Node):
    cond: Node
    then: Node
    otherwise: Node

    def __init__(self, start: int, end: int, cond: Node, then: Node, otherwise: Node):
        self.start = start
        self.end = end
        self.cond = cond
        self.then = then
        self.otherwise = otherwise

    def children(self):
        yield self.cond
        if self.then is not self.cond:
            yield self.then
        yield self.otherwise


class Map(Node):
    entries: list  # [(key Node, value Node)]

    def __init__(self, start: int, end: int, entries: list = _NEW_LIST):
        self.start = start
        self.end = end
        self.entries = [] if entries is _NEW_LIST else entries

    def children(self):
        for key, value in self.entries:
            yield key
            yield value


class Let(Node):
    name: str
    value: Node
    body: Node

    def __init__(self, start: int, end: int, name: str, value: Node, body: Node):
        self.start = start
        self.end = end
        self.name = name
        self.value = value
        self.body = body

    def children(self):
        yield self.value
        yield self.body


class Sequence(Node):
    items: list

    def __init__(self, start: int, end: int, items: list = _NEW_LIST):
        self.start = start
        self.end = end
        self.items = [] if items is _NEW_LIST else items

    def children(self):
        yield from self.items


class If(Node):
    cond: Node
    then: Node
    otherwise: Node

    def __init__(self, start: int, end: int, cond: Node, then: Node, otherwise: Node):
        self.start = start
        self.end = end
        self.cond = cond
        self.then = then
        self.otherwise = otherwise

    def children(self):
        yield self.cond
        yield self.then
        yield self.otherwise


# -- govaluate ------------------------------------------------------------------------------


class Word(Node):
    name: str

    def __init__(self, start: int, end: int, name: str):
        self.start = start
        self.end = end
        self.name = name


class Accessor(Node):
    name: str

    def __init__(self, start: int, end: int, name: str):
        self.start = start
        self.end = end
        self.name = name


class Placeholder(Node):
    text: str

    def __init__(self, start: int, end: int, text: str):
        self.start = start
        self.end = end
        self.text = text


class ExpressionError(Exception):
    """A text that does not parse (or compile). `start`/`end` are offsets into the parsed
    text, like node spans."""

    def __init__(self, message: str, start: int, end: int, hint: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.hint = hint
