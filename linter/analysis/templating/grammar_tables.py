"""The LALR parsers of the three grammars (expr.lark, when.lark, depends.lark), loaded from
tables made ahead of time by lark's standalone parser generator.

Why: building a grammar's tables costs 10-60 ms in every process, and lark's own cache
(`Lark(cache=True)`) unpickles a file of a predictable name in the shared temporary
directory, so another local user could plant code that runs as whoever runs argolint
next. The tables here are plain Python literals (`DATA`, `MEMO`: the part of
`python -m lark.tools.standalone`'s output that describes the grammar), committed in
`_<grammar>_tables.py` and read by the installed lark; no pickle, no cache file. Each
records the sha256 of its grammar and the lark version that made it; a test fails when
either no longer matches (the generator numbers its states differently from run to run,
so the check is on what the tables were made from, not on their bytes). Should the
installed lark not read them, the grammar is compiled instead, as it was before.

After editing a grammar or upgrading lark, regenerate them:

    .venv/bin/python -m argolint.analysis.templating.grammar_tables
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys

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
    with open(grammar_path(grammar), "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def tables_path(grammar: str) -> str:
    return os.path.join(HERE, f"_{grammar}_tables.py")


def load_parser(grammar: str, transformer):
    """The LALR parser of `grammar`, with `transformer` applied while parsing."""
    from lark import Lark

    tables = importlib.import_module(f"argolint.analysis.templating._{grammar}_tables")
    try:
        return Lark._load_from_dict(tables.DATA, tables.MEMO, transformer=transformer)
    except Exception:  # tables from another lark version: pay for compiling the grammar
        with open(grammar_path(grammar), encoding="utf-8") as fh:
            return Lark(fh.read(), parser="lalr", transformer=transformer, **OPTIONS[grammar])


def generate(grammar: str) -> str:
    """The text of `_<grammar>_tables.py`, from a run of lark's standalone generator."""
    import subprocess

    import lark

    flags = standalone_flags(grammar)
    command = [sys.executable, "-m", "lark.tools.standalone", *flags, grammar_path(grammar)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    tables = output[output.index("\nDATA = (\n") + 1:output.index("\nShift = 0\n") + 1]
    header = (f'"""LALR tables of {grammar}.lark, made by `python -m argolint.analysis.templating.'
              f'grammar_tables`\nwith `python -m lark.tools.standalone {" ".join(flags)}`. Do not edit."""\n\n'
              f'LARK_VERSION = "{lark.__version__}"\nGRAMMAR_SHA256 = "{grammar_sha256(grammar)}"\n\n')
    return header + tables


def main() -> None:
    for grammar in OPTIONS:
        with open(tables_path(grammar), "w", encoding="utf-8") as fh:
            fh.write(generate(grammar))
        print(f"wrote {tables_path(grammar)}")


if __name__ == "__main__":
    main()
