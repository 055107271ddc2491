"""Argo's template languages and variable scopes.

    tags.py       the `{{...}}` scanner (fasttemplate's rules), cached by text
    ast.py        syntax-tree node classes of expr-lang and govaluate (read its docstring)
    expr.py       expr-lang (`{{= }}` and expression fields): grammar expr.lark, parse_expr
    when.py       govaluate (`when`): grammar when.lark, parse_when
    functions.py  expr built-ins and Argo's functions, with arity; sprig's names
    depends.py    the DAG `depends` language (grammar depends.lark)
    scope.py      what a reference may name where (argo-semantics §2)
    strings.py    every string of a template Argo substitutes, with its area
    check.py      the tag/expression checks behind the templating rules
    arguments.py  call-site arguments against the called template's inputs

lark is imported only when an expression or condition is parsed.
"""
