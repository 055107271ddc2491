"""The tag scanner and the two expression grammars: trees, spans and errors."""

from __future__ import annotations

import pytest

from argolint.analysis.templating import ast
from argolint.analysis.templating.ast import ExpressionError
from argolint.analysis.templating.expr import parse_expr, references
from argolint.analysis.templating.tags import scan
from argolint.analysis.templating.when import parse_when


def show(node) -> str:
    """A compact prefix rendering of a tree, for readable assertions."""
    if isinstance(node, ast.Literal):
        return repr(node.value)
    if isinstance(node, (ast.Name, ast.Word)):
        return node.name
    if isinstance(node, ast.Accessor):
        return f"accessor:{node.name}"
    if isinstance(node, ast.Placeholder):
        return f"<{node.text}>"
    if isinstance(node, ast.Pointer):
        return "#" + node.name
    if isinstance(node, ast.Member):
        return f"{show(node.obj)}{'?.' if node.optional else '.'}{node.name}"
    if isinstance(node, ast.Index):
        return f"{show(node.obj)}{'?.' if node.optional else ''}[{show(node.index)}]"
    if isinstance(node, ast.Slice):
        lower = show(node.lower) if node.lower else ""
        upper = show(node.upper) if node.upper else ""
        return f"{show(node.obj)}[{lower}:{upper}]"
    if isinstance(node, ast.Unary):
        return f"({node.op} {show(node.operand)})"
    if isinstance(node, ast.Binary):
        return f"({node.op} {show(node.left)} {show(node.right)})"
    if isinstance(node, ast.Call):
        return f"{show(node.callee)}({', '.join(show(a) for a in node.args)})"
    if isinstance(node, ast.Closure):
        return "{" + show(node.body) + "}"
    if isinstance(node, ast.Conditional):
        return f"(? {show(node.cond)} {show(node.then)} {show(node.otherwise)})"
    if isinstance(node, ast.Array):
        return "[" + ", ".join(show(i) for i in node.items) + "]"
    if isinstance(node, ast.Map):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in node.entries) + "}"
    if isinstance(node, ast.Let):
        return f"(let {node.name} {show(node.value)} {show(node.body)})"
    if isinstance(node, ast.Sequence):
        return "(; " + " ".join(show(i) for i in node.items) + ")"
    if isinstance(node, ast.If):
        return f"(if {show(node.cond)} {show(node.then)} {show(node.otherwise)})"
    raise AssertionError(type(node))


# -- tags -----------------------------------------------------------------------------------


def test_scan_finds_simple_and_expression_tags_with_offsets():
    text = "echo {{inputs.parameters.x}} and {{= asInt(item) + 1 }}"
    tags = scan(text).tags
    assert [(t.start, t.end) for t in tags] == [(5, 28), (33, 55)]
    simple, expression = tags
    assert not simple.is_expression and simple.key == "inputs.parameters.x"
    assert text[simple.key_start:simple.key_end] == "inputs.parameters.x"
    assert expression.is_expression and expression.expression == " asInt(item) + 1 "
    assert text[expression.expression_start:expression.end - 2] == expression.expression


def test_whitespace_inside_a_simple_tag_is_trimmed_but_spans_stay_exact():
    text = "x {{  workflow.name  }}"
    (tag,) = scan(text).tags
    assert tag.key == "workflow.name"
    assert text[tag.key_start:tag.key_end] == "workflow.name"


def test_first_closing_braces_end_a_tag():
    (tag,) = scan("{{=toJson({'a': {'b': 1}})}}").tags
    assert tag.content == "=toJson({'a': {'b': 1"


def test_unclosed_tag_is_reported_at_its_opening_braces():
    result = scan("ok {{a}} then {{ broken")
    assert [t.key for t in result.tags] == ["a"]
    assert result.unclosed == 14


def test_nested_tag_looks_up_the_innermost_part():
    text = "{{workflow.parameters.{{inputs.parameters.name}}}}"
    (tag,) = scan(text).tags
    assert tag.nested
    assert tag.key == "inputs.parameters.name"
    assert text[tag.key_start:tag.key_end] == "inputs.parameters.name"


def test_space_before_equals_makes_a_simple_tag():
    (tag,) = scan("{{ =1+1}}").tags
    assert not tag.is_expression and tag.key == "=1+1"


def test_text_without_tags():
    assert scan("plain }} text").tags == () and scan("plain").unclosed is None


# -- expr-lang --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, tree", [
    # precedence and associativity as expr's parser builds them
    ("1 + 2 * 3", "(+ 1 (* 2 3))"),
    ("1 - 2 - 3", "(- (- 1 2) 3)"),
    ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
    ("2 ^ 3", "(** 2 3)"),
    ("-a ** 2", "(- (** a 2))"),
    ("-a * b", "(* (- a) b)"),
    ("not a * b", "(not (* a b))"),
    ("not a + b", "(+ (not a) b)"),
    ("not a == b", "(== (not a) b)"),
    ("!a && b", "(and (not a) b)"),
    ("a || b and c", "(or a (and b c))"),
    ("a or b && c", "(or a (and b c))"),
    ("a == b && c != d", "(and (== a b) (!= c d))"),
    ("a not in b", "(not (in a b))"),
    ("a not contains 'x'", "(not (contains a 'x'))"),
    ("a startsWith 'x' or a endsWith 'y'", "(or (startsWith a 'x') (endsWith a 'y'))"),
    ("s matches '^a+$'", "(matches s '^a+$')"),
    ("a < b < c", "(and (< a b) (< b c))"),
    ("a < b == c < d", "(< (== (< a b) c) d)"),
    ("1..3", "(.. 1 3)"),
    ("a + b ?? c", "(+ a (?? b c))"),
    ("a ?? b ?? c", "(?? (?? a b) c)"),
    ("a ? b : c ? d : e", "(? a b (? c d e))"),
    ("a ?: b", "(? a a b)"),
    # access
    ("steps['flip-coin'].outputs.result", "steps['flip-coin'].outputs.result"),
    ('inputs.parameters["should-print"]', "inputs.parameters['should-print']"),
    ("a?.b?.[0]", "a?.b?.[0]"),
    ("xs[1:2]", "xs[1:2]"),
    ("xs[:2]", "xs[:2]"),
    ("xs[1:]", "xs[1:]"),
    ("a.in.not", "a.in.not"),
    # calls, closures, pipes
    ("asInt(inputs.parameters.foo) * 10", "(* asInt(inputs.parameters.foo) 10)"),
    ("sprig.trim(x)", "sprig.trim(x)"),
    ("filter(xs, {# > 1})", "filter(xs, {(> # 1)})"),
    ("filter(xs, # > 1)", "filter(xs, {(> # 1)})"),
    ("map(xs, .name)", "map(xs, {#.name})"),
    ("xs | filter(# > 1) | len()", "len(filter(xs, {(> # 1)}))"),
    ("reduce(xs, #acc + #, 0)", "reduce(xs, {(+ #acc #)}, 0)"),
    ("(now() - t).Seconds() > 360", "(> (- now() t).Seconds() 360)"),
    # literals
    ("[1, 'a', nil, true,]", "[1, 'a', None, True]"),
    ("{a: 1, 'b-c': 2}", "{'a': 1, 'b-c': 2}"),
    ("0x1F + 1_000 + 1.5e3", "(+ (+ 31 1000) 1500.0)"),
    (r"'a\nb' + `raw\n`", r"(+ 'a\nb' 'raw\\n')"),
    ('"say \\"hi\\""', "'say \"hi\"'"),
    # statements
    ("let x = 1; x + y", "(let x 1 (+ x y))"),
    ("a; b", "(; a b)"),
    ("if a { b } else { c }", "(if a b c)"),
    ("a // a comment", "a"),
])
def test_expr_trees(text, tree):
    assert show(parse_expr(text)) == tree


def test_expr_spans_are_offsets_into_the_text():
    text = "asInt(inputs.parameters.foo) * 10"
    tree = parse_expr(text)
    call = tree.left
    assert text[call.start:call.end] == "asInt(inputs.parameters.foo)"
    arg = call.args[0]
    assert text[arg.start:arg.end] == "inputs.parameters.foo"


@pytest.mark.parametrize("text, message, fragment", [
    ("a ?? b + c", "cannot be mixed", "+"),
    ("a ?? b == c", "cannot be mixed", "=="),
    ("len()", "len() takes 1 argument, got 0", "len()"),
    ("jsonpath(x)", "jsonpath() takes 2 arguments, got 1", "jsonpath(x)"),
    ("# > 1", "only valid inside a predicate", "#"),
    ("toJson({# > 1})", "closure", "{# > 1}"),
    ("a ? b", "unexpected end of expression", "b"),
    ("(a + b", "unexpected end of expression", "b"),
    ("a +* b", "unexpected '*'", "*"),
    ("'unterminated", "unterminated string", "'unterminated"),
    ("a @ b", "unexpected character '@'", "@"),
    ("", "empty expression", ""),
])
def test_expr_errors(text, message, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expr(text)
    err = info.value
    assert message in err.message
    assert text[err.start:err.end] == fragment


def test_mixing_is_fine_with_parentheses():
    assert show(parse_expr("(a ?? b) + c")) == "(+ (?? a b) c)"


def test_hyphenated_names_parse_as_subtraction():
    assert show(parse_expr("steps.flip-coin.outputs.result")) == "(- steps.flip coin.outputs.result)"


def test_references_are_constant_member_paths():
    refs = references(parse_expr(
        "steps['flip-coin'].outputs.result == 'heads' ? tasks.a.outputs.parameters[x] : "
        "filter(inputs.parameters, {#.name == item}) | len()"))
    assert [r.path for r in refs] == [
        ("steps", "flip-coin", "outputs", "result"),
        ("tasks", "a", "outputs", "parameters"),
        ("x",),
        ("inputs", "parameters"),
        ("item",),
    ]


def test_references_left_of_coalesce_or_behind_optional_chaining_are_guarded():
    refs = references(parse_expr("steps.a.outputs.result ?? inputs.parameters.x"))
    assert [(r.path, r.guarded) for r in refs] == [
        (("steps", "a", "outputs", "result"), True), (("inputs", "parameters", "x"), False)]
    (ref,) = references(parse_expr("steps?.a.outputs"))
    assert ref.guarded


def test_references_skip_let_names_and_function_names():
    refs = references(parse_expr("let n = asInt(inputs.parameters.n); sprig.add(n, 1)"))
    assert [r.path for r in refs] == [("inputs", "parameters", "n"), ("sprig",)]


# -- govaluate (when) ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, tree", [
    ("heads == heads", "(== heads heads)"),
    ("{{steps.flip-coin.outputs.result}} == tails", "(== <{{steps.flip-coin.outputs.result}}> tails)"),
    ("'{{x}}' == \"y\"", "(== '{{x}}' 'y')"),
    ("v{{x}}-{{y}}.z == a", "(== (- <v{{x}}> <{{y}}.z>) a)"),
    ("5 > 3 && 10 >= 10", "(&& (> 5.0 3.0) (>= 10.0 10.0))"),
    ("a || b && c", "(|| a (&& b c))"),
    ("a == b || c != d", "(|| (== a b) (!= c d))"),
    ("1 + 2 * 3 ** 2", "(+ 1.0 (* 2.0 (** 3.0 2.0)))"),
    ("1 << 2 < 3", "(< (<< 1.0 2.0) 3.0)"),
    ("a & b == c", "(== (& a b) c)"),
    ("x =~ '^a' && y !~ b", "(&& (=~ x '^a') (!~ y b))"),
    ("a in ('a', 'b')", "(in a ['a', 'b'])"),
    ("a IN (1, 2)", "(in a [1.0, 2.0])"),
    ("a ? b : c", "(: (? a b) c)"),
    ("a ?? b", "(?? a b)"),
    ("!(a == b)", "(! (== a b))"),
    ("-a", "(- a)"),
    ("foo-bar == foo-bar", "(== (- foo bar) (- foo bar))"),
    ("v1.2 == x", "(== accessor:v1.2 x)"),
    ("[a b] == x", "(== a b x)"),
    ("true", "True"),
    ("0x10 == 16", "(== 16.0 16.0)"),
    (r"'it\'s' == x", "(== \"it's\" x)"),
])
def test_when_trees(text, tree):
    assert show(parse_when(text)) == tree


def test_empty_when_is_no_condition():
    assert parse_when("  ") is None


@pytest.mark.parametrize("text, message, fragment", [
    ("hello world == x", "two values in a row", "world"),
    ("1.2.3 == x", "is not a number", "1.2.3"),
    ("a == (", "unexpected end of condition", "("),
    ("a == 'b", "unterminated string", "'b"),
    ("a # b", "unexpected character '#'", "#"),
])
def test_when_errors(text, message, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_when(text)
    assert message in info.value.message
    assert text[info.value.start:info.value.end] == fragment


# -- robustness ----------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WHEN_TOKENS = ["{{a}}", "x{{a.b}}y", "{{a}}{{b}}", "heads", "a.b", "true", "false", "in", "1", "1.5", "1.2.3",
                "0x1F", "12abc", "'s'", '"a\\"b"', "==", "!=", ">", "<", ">=", "=~", "!~", "<<", "&&", "||", "(",
                ")", ",", "?", "+", "-", "!", "["]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WHEN_TOKENS), st.sampled_from(["", " ", "\n"])), max_size=10)
       .map(lambda parts: "".join(token + space for token, space in parts)))
def test_conditions_parsed_without_lark_get_lark_s_tree(text):
    """The common conditions skip lark (see when._simple): what they get is what lark
    gives, and what lark rejects is left to it."""
    from argolint.analysis.templating import when

    tree = when._simple(text)
    if tree is None:
        return
    assert repr(tree) == repr(when._parser().parse(text))

_TOKENS = ["a", "b.c", "1", "1.5", "'s'", '"t"', "(", ")", "[", "]", "{", "}", "#", ".", "?.", "??", "?", ":",
           "!", "not", "in", "and", "or", "==", "<", "+", "-", "*", "**", "..", "|", ",", ";", "let", "=", "if",
           "else", "filter", "len", "{{x}}", "`r`", "=~", "&&", "||"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=12).map(" ".join) | st.text(max_size=30))
def test_parsers_accept_or_reject_any_text_with_spans_inside_it(text):
    for parse in (parse_expr, parse_when):
        try:
            tree = parse(text)
        except ExpressionError as err:
            assert 0 <= err.start <= err.end <= len(text) + 1
            continue
        if tree is not None:
            for node in tree.walk():
                assert 0 <= node.start <= node.end <= len(text)
    for tag in scan(text).tags:
        assert text[tag.start:tag.end] == tag.text


def test_a_tag_reached_through_an_alias_is_checked_in_the_template_using_it(tmp_path):
    """The template's own text holds no `{{`, only `*shared`: its tags are still checked."""
    from helpers import lint_text

    diagnostics = lint_text(tmp_path, """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: alias-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  arguments:
    parameters:
      - name: greeting
        value: &shared "{{inputs.parameters.nope}}"
  templates:
    - name: main
      container:
        image: alpine:3.19
        args: [*shared]
""")
    messages = [d.message for d in diagnostics if d.rule == "unknown-variable"]
    assert "template 'main' has no input parameter 'nope'" in messages
