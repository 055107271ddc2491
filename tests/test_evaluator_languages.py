"""The evaluator's languages and value rendering: expr-lang (`{{= }}`), govaluate (`when`),
Go's number and JSON text, loop items and names, mock files."""

from __future__ import annotations

import pytest

from argolint.evaluator.exprlang import ExprError, evaluate, render
from argolint.evaluator.govaluate import WhenError, should_execute
from argolint.evaluator.loops import LoopError, go_format_int, item_name, item_variables, loop_items
from argolint.evaluator.mocks import MockError, Mocks
from argolint.evaluator.values import go_json, go_json_float, go_sprint_float, parse_json
from argolint.analysis.templating.expr import parse_expr

ENV = {
    "inputs": {"parameters": {"n": "21", "j": '{"a":{"b":"c"},"l":[1,2]}', "my-param": "x"}},
    "steps": {"flip-coin": {"outputs": {"result": "heads"}}, "p": {"outputs": {"parameters": {"msg": None}}}},
    "workflow": {"parameters": {"a": "1"}},
}


def expr(source: str, env=None) -> str:
    return render(evaluate(parse_expr(source), ENV if env is None else env))


@pytest.mark.parametrize("source, expected", [
    ("asInt(inputs.parameters.n) * 2", "42"),
    ("asFloat(inputs.parameters.n) / 2", "10.5"),
    ("inputs.parameters.n + '1'", "211"),
    ("toJson(['x','y'])", '["x","y"]'),
    ("toJSON({'a': 1})", '{\n  "a": 1\n}'),
    ("[1, 2]", "[1,2]"),
    ("10/4", "2.5"),
    ("10/5", "2"),
    ("7 % 3", "1"),
    ("2 ** 10", "1024"),
    ("1 + 1.5", "2.5"),
    ("true", "true"),
    ("steps['flip-coin'].outputs.result == 'heads' ? 'H' : 'T'", "H"),
    ("steps.p.outputs.parameters.msg ?? 'fb'", "fb"),
    ("steps.missing?.outputs.result ?? 'none'", "none"),
    ("inputs.parameters['my-param']", "x"),
    ("workflow.parameters.a == '1' && true", "true"),
    ("not (1 > 2) and 'ab' contains 'b'", "true"),
    ("'abc' startsWith 'a' && 'abc' endsWith 'c' && 'abc' matches '^a.c$'", "true"),
    ("'b' in ['a', 'b'] && 'x' not in ['a']", "true"),
    ("1..3", "[1,2,3]"),
    ("filter(1..5, # % 2 == 0)", "[2,4]"),
    ("map([1, 2], {# * 10})", "[10,20]"),
    ("all([1, 2], # > 0) && any([1, 2], # > 1) && none([1], # > 5) && one([1, 2], # == 2)", "true"),
    ("count([1, 2, 3], # > 1)", "2"),
    ("sum([1, 2, 3])", "6"),
    ("reduce(1..4, #acc + #)", "10"),
    ("reduce(1..3, #acc * #, 10)", "60"),
    ("len('héllo') + len([1]) + len({'a': 1})", "7"),
    ("upper('a') + lower('B') + trim('  c ')", "Abc"),
    ("split('a,b,c', ',')", '["a","b","c"]'),
    ("join(['a', 'b'], '-')", "a-b"),
    ("replace('aaa', 'a', 'b')", "bbb"),
    ("first([3, 4]) + last([3, 4])", "7"),
    ("keys({'b': 1, 'a': 2})", '["a","b"]'),
    ("fromJSON(inputs.parameters.j).a.b", "c"),
    ("jsonpath(inputs.parameters.j, '$.a.b')", "c"),
    ("jsonpath(inputs.parameters.j, '$.l[*]')", "[1,2]"),
    ("toBase64('hi') + fromBase64('aGk=')", "aGk=hi"),
    ("string(1.5) + string(2)", "1.52"),
    ("int('7') + int(2.9)", "9"),
    ("max(1, 5, 3) - min([4, 2])", "3"),
    ("let x = 5; x * 2", "10"),
    ("sprig.upper('abc') + sprig.trim(' x ')", "ABCx"),
    ("sprig.default('d', '') + sprig.default('d', 'v')", "dv"),
    ("sprig.int('abc') + sprig.add(1, '2')", "3"),
    ("sprig.replace('a', 'b', 'banana')", "bbnbnb"),
    ("sprig.splitList(',', 'a,b')", '["a","b"]'),
    ("sprig.quote('a\"b')", '"a\\"b"'),
    ("duration('1h30m') > duration('90s')", "true"),
])
def test_expressions(source, expected):
    assert expr(source) == expected


@pytest.mark.parametrize("source, message", [
    ("x", "unknown name x"),
    ("nil + 'x'", "mismatched types <nil> and string"),
    ("steps.q.outputs.result", "cannot fetch outputs from <nil>"),
    ("1 % 0", "integer divide by zero"),
    ("int('2.5')", 'parsing "2.5": invalid syntax'),
    ("'a' < 1", "mismatched types string and int"),
    ("1 and true", "non-bool"),
    ("[1][5]", "index out of range"),
    ("repeat('x', 10000000)", "over the dry run's limit"),
    ("1..10000000", "over the dry run's limit"),
    ("sprig.nope(1)", "sprig has no function 'nope'"),
    ("jsonpath('{}', '$.a')", "matches nothing"),
])
def test_expression_errors(source, message):
    with pytest.raises(ExprError, match=None) as info:
        evaluate(parse_expr(source), ENV)
    assert message in str(info.value)


def test_int_arithmetic_wraps_like_go():
    assert expr("9223372036854775807 + 1") == "-9223372036854775808"


@pytest.mark.parametrize("when, result", [
    ("heads == heads", True), ("tails == heads", False), ('"heads" == heads', True), ("5 > 3", True),
    ("10 >= 10", True), ("Succeeded != Succeeded", False), ("", True), ("true", True), ("false", False),
    ("a in ('a', 'b')", True), ("x =~ '^x$'", True), ("1 + 1 == 2", True), ("'2020-01-01' < '2021-01-01'", True),
    ("Failed == Succeeded || Error == Error", True), ("!(1 == 2)", True), ("10 > 9 && 'b' > 'a'", True),
    ("1 == '1'", False),
])
def test_when(when, result):
    assert should_execute(when) is result


@pytest.mark.parametrize("when, message", [
    ("foo-bar == foo-bar", "Failed to evaluate 'when' expression 'foo-bar == foo-bar': Value 'foo' cannot be used "
                           "with the modifier '-', it is not a number"),
    ("hello world == x", "Invalid 'when' expression 'hello world == x'"),
    ("v1.2 == v1.2", "No parameter 'v1' found."),
    ("5", "Expected boolean evaluation for '5'. Got 5"),
    ("a > 1", "cannot be used with the comparator '>'"),
    ("{{item.x}} == a", "never substituted"),
])
def test_when_errors(when, message):
    with pytest.raises(WhenError) as info:
        should_execute(when)
    assert message in str(info.value)


@pytest.mark.parametrize("value, json_text, sprint", [
    (2.5, "2.5", "2.5"), (1.0, "1", "1"), (1e21, "1e+21", "1e+21"), (1e20, "100000000000000000000", "1e+20"),
    (1.5e-7, "1.5e-7", "1.5e-07"), (123456789.0, "123456789", "1.23456789e+08"), (100000.0, "100000", "100000"),
])
def test_go_float_text(value, json_text, sprint):
    assert (go_json_float(value), go_sprint_float(value)) == (json_text, sprint)


def test_go_json_sorts_keys_escapes_html_and_keeps_numbers_as_written():
    assert go_json({"b": [1, 2.0], "a": "x<y&z>", "c": None}) == '{"a":"x\\u003cy\\u0026z\\u003e","b":[1,2],"c":null}'
    assert go_json(parse_json('[2.50, {"k": 1e3}]')) == '[2.50,{"k":1e3}]'
    # the dry run's placeholders stay readable
    assert go_json(["<a(0:1).outputs.result>"]) == '["<a(0:1).outputs.result>"]'


@pytest.mark.parametrize("item, name, variables", [
    ("hello world", "s(0:hello world)", {"item": "hello world"}),
    (2, "s(0:2)", {"item": "2"}),
    (2.5, "s(0:2.5)", {"item": "2.5"}),
    (True, "s(0:true)", {"item": "true"}),
    ({"k": "v", "a": 1}, "s(0:a:1,k:v)", {"item": '{"a":1,"k":"v"}', "item.k": "v", "item.a": "1"}),
    ({"tag": "17.10"}, "s(0:tag:17.10)", {"item": '{"tag":"17.10"}', "item.tag": "17.10"}),
    ({"q": 'say "hi"'}, 's(0:q:say \\"hi\\")', {"item": '{"q":"say \\"hi\\""}', "item.q": 'say \\"hi\\"'}),
    (["a", "b"], "s(0:[a b])", {"item": '["a","b"]'}),
    ("(paren)", "s(0:paren)", {"item": "(paren)"}),
])
def test_loop_item_names_and_variables(item, name, variables):
    assert item_name("s", 0, item) == name
    assert item_variables(item) == variables


def test_with_param_items_keep_json_numbers_as_written():
    items = loop_items({"withParam": "[20, 2.50, {\"a\": 1}]"}, 100)
    assert [item_variables(i)["item"] for i in items] == ["20", "2.50", '{"a":1}']


def test_with_items_empty_list_is_no_loop_and_errors_are_argo_messages():
    assert loop_items({"withItems": []}, 10) is None
    with pytest.raises(LoopError, match="withParam value could not be parsed as a JSON list: nope"):
        loop_items({"withParam": "nope"}, 10)
    with pytest.raises(LoopError, match="only one of count or end"):
        loop_items({"withSequence": {"count": 1, "end": 2}}, 10)


def test_sequence_format_follows_go_printf():
    assert [go_format_int(f, 10) for f in ("%d", "%02X", "id-%03d", "%x", "%5d", "%-3d|")] == [
        "10", "0A", "id-010", "a", "   10", "10 |"]


def test_mocks_match_full_names_display_names_and_globs_first_key_wins():
    mocks = Mocks({"*[1].tails[0].flip-coin": {"result": "heads"}, "flip-coin": {"result": "tails"},
                   "each(0:a)": {"exitCode": 3}, "flaky": {"attempts": [{"phase": "Failed"}, {"phase": "Succeeded"}]}},
                  fail=("boom",))
    assert mocks.outcome(("WF[1].tails[0].flip-coin", "flip-coin", "flip-coin")).result == "heads"
    assert mocks.outcome(("WF[0].flip-coin", "flip-coin", "flip-coin")).result == "tails"
    assert mocks.outcome(("WF[0].each(0:a)", "each(0:a)", "each")).exit_code == "3"
    assert [mocks.outcome(("WF[0].flaky", "flaky", "flaky"), i).phase for i in range(3)] == [
        "Failed", "Succeeded", "Succeeded"]
    assert mocks.outcome(("WF.boom", "boom", "boom")).phase == "Failed"
    assert mocks.outcome(("WF.other", "other", "other")) is None
    assert mocks.unused() == []


@pytest.mark.parametrize("data, message", [
    ({"a": {"rezult": 1}}, "a: unknown field 'rezult'"),
    ({"a": {"phase": "Done"}}, "a.phase: expected one of Succeeded, Failed, Error"),
    ({"a": {"exitCode": "x"}}, "a.exitCode: expected a number"),
    ({"a": {"attempts": [{"attempts": []}]}}, "a.attempts[0]: unknown field 'attempts'"),
    (["a"], "a mock file is a mapping"),
])
def test_bad_mock_files_say_what_is_wrong(data, message):
    with pytest.raises(MockError) as info:
        Mocks(data)
    assert message in str(info.value)


def test_a_repeated_repetition_runs_in_linear_time_as_in_go():
    """Go's regexp (RE2) is linear; Python's backtracks exponentially on `((a+))+$` (minutes
    on 41 characters): the dry run matches with RE2 too, through every entry point."""
    import time

    started = time.monotonic()
    text = "a" * 5000 + "!"
    assert expr("'ab-cd' matches '^[a-z]+(-[a-z]+)*$'") == "true"
    assert evaluate(parse_expr(f"'{text}' matches '((a+))+$'"), ENV) is False
    assert evaluate(parse_expr(f"sprig.regexMatch('((a+))+$', '{text}')"), ENV) is False
    assert evaluate(parse_expr(f"sprig.regexFindAll('((a+))+$', '{text}', -1)"), ENV) == []
    assert should_execute(f"'{text}' =~ '((a+))+$'") is False
    assert time.monotonic() - started < 2


def test_regular_expressions_have_go_syntax_and_errors():
    assert expr("sprig.regexReplaceAll('(a)(?P<x>b)', 'abab', '[$2${1}$9${y}$$]')") == "[ba$][ba$]"
    assert expr("'line\\n' matches 'line$'") == "false"  # Go's `$` is the end of text, not before a newline
    with pytest.raises(ExprError) as info:
        evaluate(parse_expr("'a' matches '(?=a)'"), ENV)  # Go has no lookarounds either
    assert str(info.value) == "error parsing regexp: invalid perl operator: (?=: `(?=a)`"
