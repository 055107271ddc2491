"""The LALR parsers of the three grammars (expr.lark, when.lark, depends.lark), loaded from
tables made ahead of time by lark's standalone parser generator, and run by that
generator's runtime (`vendor/lark_runtime.py`), so that a lint never imports lark itself.

Why: building a grammar's tables costs 10-60 ms in every process, and lark's own cache
(`Lark(cache=True)`) unpickles a file of a predictable name in the shared temporary
directory, so another local user could plant code that runs as whoever runs argolint
next. The tables here are plain Python literals (`DATA`, `MEMO`: the part of
`python -m lark.tools.standalone`'s output that describes the grammar), committed in
`_<grammar>_tables.py` and read by the runtime below; no pickle, no cache file. Each
records the sha256 of its grammar and the lark version that made it; a test fails when
either no longer matches (the generator numbers its states differently from run to run,
so the check is on what the tables were made from, not on their bytes).

Why the runtime: importing lark costs ~20 ms of CPU more (its grammar compiler, `hashlib`,
`pickle`, `tempfile`...), none of it needed to run an LALR parser from tables. The generator's
output is the runtime part of lark (MPL-2.0, licence header kept) followed by the tables;
`vendor/lark_runtime.py` is that output up to the tables, made from the same lark run as the
tables (it records the lark version too). It is generated, never edited by hand; lark itself
stays a dependency for regenerating and for the tests that compare with the compiled grammar.

After editing a grammar or upgrading lark, regenerate them:

    .venv/bin/python -m argolint.analysis.templating.grammar_tables
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))

# The options of each grammar's LALR parser.
OPTIONS = {
    "expr": {"lexer": "contextual", "keep_all_tokens": True, "maybe_placeholders": True},
    "when": {"lexer": "contextual", "keep_all_tokens": True, "maybe_placeholders": True},
    "depends": {"lexer": "contextual", "keep_all_tokens": False, "maybe_placeholders": False},
}


def standalone_flags(grammar: str) -> list[str]:
    options = OPTIONS[grammar]
    return ["--lexer", options["lexer"]] + [f"--{name}" for name in ("keep_all_tokens", "maybe_placeholders")
                                            if options[name]]


def grammar_path(grammar: str) -> str:
    return os.path.join(HERE, f"{grammar}.lark")


def grammar_sha256(grammar: str) -> str:
    import hashlib  # ~3 ms of import (OpenSSL) that loading the parsers does not need

    with open(grammar_path(grammar), "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def tables_path(grammar: str) -> str:
    return os.path.join(HERE, f"_{grammar}_tables.py")


RUNTIME_PATH = os.path.join(HERE, "vendor", "lark_runtime.py")
# Where the generator's runtime ends: its tables follow (the `pickle` import before them
# serves only lark's cache and `Lark.save`/`load`, which the runtime never runs without it).
_TABLES_START = "\nimport pickle, zlib, base64\nDATA = (\n"


def load_parser(grammar: str, transformer):
    """The LALR parser of `grammar`, with `transformer` applied while parsing."""
    from argolint.analysis.templating.lazy_lexer import LazyContextualLexer
    from argolint.analysis.templating.vendor.lark_runtime import Lark

    tables = importlib.import_module(f"argolint.analysis.templating._{grammar}_tables")
    return Lark._load_from_dict(tables.DATA, tables.MEMO, transformer=transformer,
                                _plugins={"ContextualLexer": LazyContextualLexer, "LALR_Parser": _tables_parser()})


@lru_cache(maxsize=1)
def _tables_parser():
    """lark's LALR parser, whose table is read with a dictionary lookup per reduce action
    where lark's generic `Rule.deserialize` gives the same memoized rule (expr.lark's
    table has ~3,000 such actions: 0.3 against 0.9 ms)."""
    from argolint.analysis.templating.vendor.lark_runtime import (IntParseTable, LALR_Parser, Reduce, Rule, Shift,
                                                                   _Parser)

    class TablesParser(LALR_Parser):
        @classmethod
        def deserialize(cls, data, memo, callbacks, debug=False):
            tokens = data["tokens"]
            states = {
                state: {tokens[token]: ((Reduce, memo[arg["@"]] if "@" in arg else Rule.deserialize(arg, memo))
                                        if action == 1 else (Shift, arg))
                        for token, (action, arg) in actions.items()}
                for state, actions in data["states"].items()
            }
            inst = cls.__new__(cls)
            inst._parse_table = IntParseTable(states, data["start_states"], data["end_states"])
            inst.parser = _Parser(inst._parse_table, callbacks, debug)
            return inst

    return TablesParser


def _standalone(grammar: str) -> str:
    import subprocess

    command = [sys.executable, "-m", "lark.tools.standalone", *standalone_flags(grammar), grammar_path(grammar)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def generate(grammar: str, output: str) -> str:
    """The text of `_<grammar>_tables.py`, from `output` (a run of lark's standalone
    generator on the grammar)."""
    import lark

    tables = output[output.index("\nDATA = (\n") + 1:output.index("\nShift = 0\n") + 1]
    header = (f'"""LALR tables of {grammar}.lark, made by `python -m argolint.analysis.templating.'
              f'grammar_tables`\nwith `python -m lark.tools.standalone {" ".join(standalone_flags(grammar))}`. '
              f'Do not edit."""\n\n'
              f'LARK_VERSION = "{lark.__version__}"\nGRAMMAR_SHA256 = "{grammar_sha256(grammar)}"\n\n')
    return header + tables


# The runtime's imports of three standard modules it uses for a few names, pointed at
# `vendor/lark_shims.py` (their import costs ~9 ms of every lint; see there why the
# stand-ins behave the same). Each line must occur exactly once in the generator's output.
_SHIMMED_IMPORTS = {
    "import logging\n": "from .lark_shims import logging  # argolint: instead of the standard module\n",
    "from dataclasses import dataclass\n": "from .lark_shims import dataclass  # argolint: instead of the standard module\n",
    "from inspect import getmembers, getmro\n":
        "from .lark_shims import getmembers, getmro  # argolint: instead of the standard module\n",
}


# Put before the runtime: its ~200 annotations (`Dict[int, AbstractBasicLexer]`...) would
# otherwise build typing objects at every import (~0.8 ms of each lint) for no reader; the
# runtime never inspects them (`lark_shims.dataclass` reads only their names).
_LAZY_ANNOTATIONS = "from __future__ import annotations  # argolint: annotations left unevaluated\n"


def generate_runtime(output: str) -> str:
    """The text of `vendor/lark_runtime.py`: `output` of lark's standalone generator up to its
    tables, with the imports of `_SHIMMED_IMPORTS` changed and `_LAZY_ANNOTATIONS` first, under
    lines saying where it comes from."""
    import lark

    runtime = output[:output.index(_TABLES_START) + 1]
    for original, shimmed in _SHIMMED_IMPORTS.items():
        if runtime.count(original) != 1:
            raise ValueError(f"lark's runtime no longer has exactly one line {original.strip()!r}: "
                             "review _SHIMMED_IMPORTS and vendor/lark_shims.py")
        runtime = runtime.replace(original, shimmed)
    header = (f"# lark {lark.__version__}'s standalone LALR runtime, the output of `python -m lark.tools.standalone` "
              f"up to its tables,\n# written by `python -m argolint.analysis.templating.grammar_tables`, which "
              f"points three standard imports\n# at `lark_shims.py` and leaves annotations unevaluated. Do not edit. "
              f"Licence: MPL-2.0, below.\n")
    return header + _LAZY_ANNOTATIONS + runtime


def main() -> None:
    for grammar in OPTIONS:
        output = _standalone(grammar)
        with open(tables_path(grammar), "w", encoding="utf-8") as fh:
            fh.write(generate(grammar, output))
        print(f"wrote {tables_path(grammar)}")
    with open(RUNTIME_PATH, "w", encoding="utf-8") as fh:
        fh.write(generate_runtime(output))
    print(f"wrote {RUNTIME_PATH}")


if __name__ == "__main__":
    main()
