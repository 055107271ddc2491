"""The `depends` grammar: ASTs the evaluator can run, spans of every task name, syntax
errors with their column, and the cheap path that skips lark for the common shapes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from argolint.analysis.templating.depends import (And, Not, Or, TaskResult, bare_names, evaluate, is_unconditional,
                                         parse_depends)


def names_with_spans(text):
    return [(r.name, text[r.span[0]:r.span[1]], r.result) for r in parse_depends(text).refs]


def test_flat_conjunction():
    parsed = parse_depends("A && B")
    assert parsed.error is None
    assert parsed.ast == And((TaskResult("A", None, (0, 1)), TaskResult("B", None, (5, 6))))


def test_precedence_not_over_and_over_or():
    ast = parse_depends("a || b && !c").ast
    assert isinstance(ast, Or)
    left, right = ast.operands
    assert left == TaskResult("a", None, (0, 1))
    assert isinstance(right, And)
    assert right.operands[0].name == "b"
    assert right.operands[1] == Not(TaskResult("c", None, (11, 12)))


def test_parentheses_group():
    ast = parse_depends("(a || b) && c").ast
    assert isinstance(ast, And)
    assert isinstance(ast.operands[0], Or)


def test_results_and_their_spans():
    text = "A && (C.Succeeded || C.Failed)"
    refs = parse_depends(text).refs
    assert [(r.name, r.result) for r in refs] == [("A", None), ("C", "Succeeded"), ("C", "Failed")]
    c = refs[1]
    assert text[c.span[0]:c.span[1]] == "C"
    assert text[c.result_span[0]:c.result_span[1]] == "Succeeded"


def test_names_argo_allows_spaces_anywhere():
    text = "  step-1.Succeeded&&( 2nd-step || v2 )  "
    assert names_with_spans(text) == [("step-1", "step-1", "Succeeded"), ("2nd-step", "2nd-step", None),
                                      ("v2", "v2", None)]
    assert parse_depends(text).error is None


def test_multi_line_block_scalar():
    parsed = parse_depends("sweep.AnySucceeded\n&& C\n")
    assert parsed.error is None
    assert parsed.names == ["sweep", "C"]


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_means_no_dependency(text):
    parsed = parse_depends(text)
    assert parsed.ast is None and parsed.refs == () and parsed.error is None


@pytest.mark.parametrize("text, message, span", [
    ("A &&", "depends ends too early: expected a task name, '!' or '(' at the end", (2, 4)),
    ("(A || B", "depends ends too early: expected ')' at the end", (6, 7)),
    ("A & B", "unexpected character '&' in depends", (2, 3)),
    ("A B", "unexpected task name 'B' in depends; expected '&&', '||' or ')'", (2, 3)),
    ("A &&&& B", "unexpected '&&' in depends; expected a task name, '!' or '('", (4, 6)),
    (")", "unexpected ')' in depends; expected a task name, '!' or '('", (0, 1)),
    ("A || (B))", "unexpected ')' in depends; expected the end", (8, 9)),
])
def test_syntax_errors_point_at_the_offending_token(text, message, span):
    parsed = parse_depends(text)
    assert parsed.ast is None
    assert parsed.error.message == message
    assert parsed.error.span == span


def test_names_are_still_found_when_it_does_not_parse():
    parsed = parse_depends("A & B.Failed")
    assert parsed.error is not None
    assert [(r.name, r.result) for r in parsed.refs] == [("A", None), ("B", "Failed")]


def test_unknown_and_empty_results_parse_for_the_rule_to_report():
    assert parse_depends("A.Succeded").refs[0].result == "Succeded"
    assert parse_depends("A.").refs[0].result == ""


def test_parses_are_cached_per_string():
    assert parse_depends("x && (y || z)") is parse_depends("x && (y || z)")


def test_names_each_once_in_order():
    assert parse_depends("B.Failed || (A && B.Errored)").names == ["B", "A"]


def test_evaluate():
    phases = {"A": "Succeeded", "B": "Failed"}

    def value_of(ref):
        return phases[ref.name] == (ref.result or "Succeeded")

    assert evaluate(parse_depends("A && B.Failed").ast, value_of) is True
    assert evaluate(parse_depends("A && B").ast, value_of) is False
    assert evaluate(parse_depends("!A || B.Succeeded").ast, value_of) is False
    assert evaluate(parse_depends("(B.Failed || B.Errored) && !A.Failed").ast, value_of) is True


@pytest.mark.parametrize("text, expected", [
    ("A", True), ("A && B.Succeeded", True), ("A.Failed", False), ("A || B", False), ("!A", False),
    ("", True), ("A &&", False),
])
def test_is_unconditional(text, expected):
    assert is_unconditional(parse_depends(text)) is expected


def test_common_shapes_do_not_import_lark():
    code = ("import sys; from argolint.analysis.templating.depends import parse_depends;"
            "[parse_depends(t) for t in ('A', 'A && B', 'a-1 || b.Failed', ' x&&y ')];"
            "print('lark' in sys.modules or 'argolint.analysis.templating.vendor.lark_runtime' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("text, names", [
    ("A", ["A"]),
    ("A && B", ["A", "B"]),
    ("  a-1&&b_2 \t&& 3c ", ["a-1", "b_2", "3c"]),
    ("A || B", None),
    ("A.Succeeded && B", None),
    ("!A && B", None),
    ("(A && B)", None),
    ("A && ", None),
    ("A &&& B", None),
    ("-A && B", None),
])
def test_bare_names_read_only_plain_conjunctions(text, names):
    """A DAG reads the names of `A && B` without parsing it; anything else is parsed."""
    assert bare_names(text) == names


@pytest.mark.parametrize("text", ["A && B", " A ||B.Failed ", "a-1 && b.Succeded && c.", "A.Omitted"])
def test_flat_shapes_parse_as_lark_does(text):
    """The split-based parse of flat `&&` / `||` chains gives lark's AST and spans."""
    from argolint.analysis.templating.depends import _parser

    assert parse_depends(text).ast == _parser().parse(text)


def test_nested_depends_read_without_lark_as_lark_reads_them():
    """`A && (B.Succeeded || !C)` and the like are parsed by recursive descent: the same
    tree as lark's for every string lark parses, and left to lark (for its error) for every
    string it rejects. Random strings of the grammar's tokens and of near-misses."""
    import random

    from argolint.analysis.templating import depends
    from argolint.analysis.templating.vendor.lark_runtime import UnexpectedInput

    parts = ["a", "b.Succeeded", "c.", "x-1", "&&", "||", "!", "(", ")", " ", "\t", "\n", "&", "|", ".", "\f"]
    rng = random.Random(19)
    parsed = 0
    for _ in range(20_000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 14)))
        try:
            want = depends._parser().parse(text)
        except UnexpectedInput:
            want = None
        assert depends._nested(text) == want, text
        parsed += want is not None
    assert parsed > 500
    deep = "(" * 60 + "a" + ")" * 60
    assert depends._nested(deep) is None and parse_depends(deep).ast == depends._parser().parse(deep)
