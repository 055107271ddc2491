"""Issue 14, security: no grammar is read from a pickle or a cache file in a shared
directory (lark's `cache=True` unpickles `$TMPDIR/.lark_cache_*`, a name another local user
can plant). The parsers load committed tables made by lark's standalone generator."""

import ast
import os
import re

import lark
import pytest

from argolint.analysis.templating import grammar_tables
from conftest import ROOT

SOURCE_DIRS = ("linter", "rules")


def _python_files():
    for folder in SOURCE_DIRS:
        for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in names:
                if name.endswith(".py"):
                    yield os.path.join(dirpath, name)


def _never_binds_pickle(tree) -> bool:
    """No import of pickle and no other binding of the name: its `pickle.load` calls (lark's
    cache and `Lark.load`, never used) could only raise NameError."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "pickle" or a.asname == "pickle"
                                                for a in node.names):
            return False
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == "pickle" for a in node.names):
            return False
        if isinstance(node, ast.Name) and node.id == "pickle" and not isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == "pickle":
            return False
    return True


def test_no_pickle_and_no_lark_cache_in_the_source_tree():
    offenders = []
    for path in _python_files():
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        if path == grammar_tables.RUNTIME_PATH:  # lark's code, generated: its cache code cannot run
            assert _never_binds_pickle(tree)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] in ("pickle", "cPickle", "dill", "shelve")
                                                    for a in node.names):
                offenders.append(f"{path}:{node.lineno}: import of a pickle module")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("pickle", "dill", "shelve"):
                offenders.append(f"{path}:{node.lineno}: import from a pickle module")
            elif isinstance(node, ast.keyword) and node.arg == "cache" and not (
                    isinstance(node.value, ast.Constant) and node.value.value in (False, None)):
                offenders.append(f"{path}:{node.lineno}: cache={ast.unparse(node.value)}")
            elif isinstance(node, ast.Attribute) and node.attr in ("loads", "load") and \
                    isinstance(node.value, ast.Name) and node.value.id in ("pickle", "marshal"):
                offenders.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr}")
    assert offenders == []


@pytest.mark.parametrize("grammar", sorted(grammar_tables.OPTIONS))
def test_grammar_tables_are_current(grammar):
    """Regenerate with `python -m argolint.analysis.templating.grammar_tables`."""
    with open(grammar_tables.tables_path(grammar), encoding="utf-8") as fh:
        text = fh.read()
    recorded = dict(re.findall(r'^(LARK_VERSION|GRAMMAR_SHA256) = "([^"]*)"$', text, re.M))
    assert recorded == {"LARK_VERSION": lark.__version__, "GRAMMAR_SHA256": grammar_tables.grammar_sha256(grammar)}


def test_parser_runtime_is_current():
    """`vendor/lark_runtime.py` is lark's standalone generator's output up to the tables, as the
    installed lark makes it. Regenerate with `python -m argolint.analysis.templating.grammar_tables`."""
    with open(grammar_tables.RUNTIME_PATH, encoding="utf-8") as fh:
        text = fh.read()
    assert text == grammar_tables.generate_runtime(grammar_tables._standalone("depends"))
    assert "Mozilla Public License, v. 2.0" in text


@pytest.mark.parametrize("grammar, text", [
    ("expr", "inputs.parameters.n > 2 ? 'big' : filter(items, # > 1)"),
    ("when", "{{tasks.a.outputs.result}} == 'yes' && ({{inputs.parameters.n}} > 3 || !true)"),
    ("depends", "(a.Succeeded || b.Failed) && !c"),
])
def test_tables_parse_like_the_compiled_grammar(grammar, text):
    from lark import Lark

    with open(grammar_tables.grammar_path(grammar), encoding="utf-8") as fh:
        compiled = Lark(fh.read(), parser="lalr", **grammar_tables.OPTIONS[grammar])
    assert grammar_tables.load_parser(grammar, None).parse(text) == compiled.parse(text)


# Inputs that take every kind of token, and errors at each kind of place: the lazy lexer
# must cut and name the same tokens, and fail where and as lark's scanner fails.
LEXED = {
    "expr": ["inputs.parameters.n > 2 ? 'big' : filter(items, # > 1)", "a.b?.c ?? 'x'", "not a and b or !c",
             "x in [1, 2.5e3, 0x1F, 0b101, 0o17] && y not in {a: 1}", "1..3 ** 2 % 4 / 5 - -6",
             "s matches '^a.*' || s contains \"b\" || s startsWith `c`", "let x = 1; x | upper() // note",
             "/* c */ true == false != nil", "a.in", "#x.y", "map(xs, .name)", "notx and andy", "a ? b : c ?",
             "a &", "'unclosed", "a @ b", "1 +", "f(a,", "", "   ", "a\n  .b", "x[1:2]", "$env.HOME"],
    "when": ["{{tasks.a.outputs.result}} == 'yes' && ({{inputs.parameters.n}} > 3 || !true)",
             "a =~ 'x' || b !~ \"y\" && c in (1, 2) && 0x1F >> 2 << 1 & 3 | 4 ^ 5", "x ? y : z ?? w",
             "[escaped name] == 1.2.3", "-1 ** 2 * 3 / 4 % 5 + ~6", "{{a}} ==", "a == 'open", "a $ b", "IN IN in"],
    "depends": ["(a.Succeeded || b.Failed) && !c", "a-1 && b_2.Errored", "a ||", "!(a", "a . b", "a && $", "a.."],
}


@pytest.mark.parametrize("grammar", sorted(LEXED))
@pytest.mark.parametrize("compile_after", [0, 2, 10_000])
def test_lazy_lexer_reads_as_lark_scanner_does(grammar, compile_after, monkeypatch):
    """Terminal by terminal, then compiled (`lazy_lexer.COMPILE_AFTER`), and with the table
    read by `grammar_tables`: the same table, trees, and errors at the same places, as
    lark's own loading and contextual lexer."""
    from argolint.analysis.templating import lazy_lexer
    from argolint.analysis.templating.vendor.lark_runtime import Lark, LarkError

    monkeypatch.setattr(lazy_lexer, "COMPILE_AFTER", compile_after)
    tables = __import__(f"argolint.analysis.templating._{grammar}_tables", fromlist=["DATA"])
    lark_own = Lark._load_from_dict(tables.DATA, tables.MEMO)
    lazy = grammar_tables.load_parser(grammar, None)

    def outcome(parser, text):
        try:
            return parser.parse(text)
        except LarkError as exc:
            return type(exc).__name__, str(exc), getattr(exc, "pos_in_stream", None), getattr(exc, "token", None)

    table, own_table = lazy.parser.parser._parse_table, lark_own.parser.parser._parse_table
    assert (table.states, table.start_states, table.end_states) == \
        (own_table.states, own_table.start_states, own_table.end_states)
    for _ in range(2):  # a second round goes through scanners already used (and compiled)
        for text in LEXED[grammar]:
            assert outcome(lazy, text) == outcome(lark_own, text), text


def test_parsers_do_not_touch_a_lark_cache_file(tmp_path):
    """A planted cache file is never opened: the parsers come from the tables."""
    import subprocess
    import sys

    planted = tmp_path / ".lark_cache_planted.tmp"
    planted.write_bytes(b"not a pickle")
    code = ("from argolint.analysis.templating import expr, when, depends;"
            "expr.parse_expr('a + 1'); when.parse_when('1 == 1'); depends.parse_depends('(a || b) && c')")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert sorted(p.name for p in tmp_path.iterdir()) == [planted.name]


def test_runtime_shims_behave_like_the_standard_modules():
    """`vendor/lark_shims.py` stands in for logging, dataclasses and inspect in the runtime."""
    import inspect

    from argolint.analysis.templating.vendor import lark_runtime

    sliced = lark_runtime.TextSlice("hello", -3, None)  # __post_init__ turns them into 2, 5
    assert (sliced.start, sliced.end) == (2, 5) and sliced == lark_runtime.TextSlice("hello", 2, 5)
    with pytest.raises(AttributeError):
        sliced.start = 0
    with pytest.raises(TypeError):
        lark_runtime.TextSlice(1, 0, 0)  # __post_init__ still checks the text
    for cls in (lark_runtime.Transformer, lark_runtime.Transformer_InPlace, lark_runtime.Lark):
        assert lark_runtime.getmembers(cls) == inspect.getmembers(cls)
        assert lark_runtime.getmro(cls) == inspect.getmro(cls)
    lark_runtime.logger.exception("not shown: lark's logger is at CRITICAL")


def test_loading_a_parser_imports_none_of_the_shimmed_modules():
    import subprocess
    import sys

    code = ("import sys; from argolint.analysis.templating.expr import parse_expr; parse_expr('a.b == 1 ? x : y'); "
            "print(sorted({'logging', 'inspect', 'dataclasses'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
