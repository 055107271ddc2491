"""Imports flow one way: from the command line and the language server down to loading and
the diagnostic records. Every module of `argolint` (folder `linter/`) and `argolint.rules`
(folder `rules/`) is read, and each `import` of another stage must name a lower one."""

import ast
import importlib
import os

import pytest

from conftest import ROOT

# (stage, rank) by module prefix, longest prefix first. A module may import its own stage
# and any stage of a lower rank; two stages of one rank (the rules and the evaluator, both
# on top of the analysis) may not import each other.
STAGES = [
    ("argolint.diagnostics", "diagnostics", 0),
    ("argolint.load", "load", 1),
    ("argolint.model", "model", 2),
    ("argolint.schema", "schema", 3),
    ("argolint.analysis", "analysis", 4),
    ("argolint.rules", "rules", 5),
    ("argolint.evaluator", "evaluator", 5),
    ("argolint.report", "report", 6),
    ("argolint.lint", "lint", 7),
    ("argolint.config", "lint", 7),
    ("argolint.lsp", "lsp", 8),
    ("argolint.cli", "cli", 9),
    ("argolint.__main__", "cli", 9),
    ("argolint.api", "api", 10),
]
# The package itself: its body holds only `__version__` (low) and lazy entry points (top).
PACKAGE = "argolint"


def stage_of(module: str):
    for prefix, stage, rank in STAGES:
        if module == prefix or module.startswith(prefix + "."):
            return stage, rank
    return None


def module_files():
    for folder, package in (("linter", "argolint"), ("rules", "argolint.rules")):
        base = os.path.join(ROOT, folder)
        for root, dirs, names in os.walk(base):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in sorted(names):
                if not name.endswith(".py"):
                    continue
                rel = os.path.relpath(os.path.join(root, name), base)[:-3].replace(os.sep, ".")
                module = package if rel == "__init__" else f"{package}.{rel.removesuffix('.__init__')}"
                yield module, os.path.join(root, name)


def imported_modules(source: str, module: str, is_package: bool):
    """The argolint modules that `source` imports anywhere (top level or inside functions)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                anchor = parts if is_package else parts[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if base == PACKAGE else base


def upward_imports(module: str, source: str, is_package: bool = False) -> list:
    mine = stage_of(module)
    if mine is None:
        return []
    found = []
    for line, target in imported_modules(source, module, is_package):
        if target == PACKAGE or not (target == PACKAGE or target.startswith(PACKAGE + ".")):
            continue
        if target == f"{PACKAGE}.__version__":
            continue
        theirs = stage_of(target)
        if theirs is None or theirs[0] == mine[0]:
            continue
        if theirs[1] >= mine[1]:
            found.append(f"{module}:{line} ({mine[0]}) imports {target} ({theirs[0]})")
    return found


def test_every_module_belongs_to_a_stage():
    unplaced = [m for m, _ in module_files() if m != PACKAGE and stage_of(m) is None]
    assert unplaced == []


def test_no_stage_imports_a_higher_one():
    problems = []
    for module, path in module_files():
        if module == PACKAGE:
            continue
        with open(path, encoding="utf-8") as fh:
            problems += upward_imports(module, fh.read(), path.endswith("__init__.py"))
    assert problems == []


def test_the_package_body_imports_nothing_but_its_entry_points_lazily():
    """`import argolint` must stay cheap: no top-level import of any stage."""
    with open(os.path.join(ROOT, "linter", "__init__.py"), encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert top == []


@pytest.mark.parametrize("module, source, expected", [
    # the analysis reaching up into the rules for a helper: what this test exists to stop
    ("argolint.analysis.templating.scope", "from argolint.rules.base import closest\n",
     ["argolint.analysis.templating.scope:1 (analysis) imports argolint.rules.base (rules)"]),
    # inside a function counts too
    ("argolint.evaluator.api", "def f():\n    from argolint.lint.runner import collect\n",
     ["argolint.evaluator.api:2 (evaluator) imports argolint.lint.runner (lint)"]),
    # a relative import is resolved before it is judged
    ("argolint.load.loader", "from ..analysis import graph\n",
     ["argolint.load.loader:1 (load) imports argolint.analysis (analysis)"]),
    # two stages of one rank do not import each other
    ("argolint.rules.dag_cycle", "import argolint.evaluator.dag\n",
     ["argolint.rules.dag_cycle:1 (rules) imports argolint.evaluator.dag (evaluator)"]),
    # downward and sideways within a stage are fine
    ("argolint.lint.engine", "from argolint.analysis.project import Project\nfrom argolint.lint import suppress\n", []),
    ("argolint.report.json", "from argolint import __version__\n", []),
])
def test_the_check_finds_an_upward_import(module, source, expected):
    assert upward_imports(module, source, False) == expected


def test_every_module_imports():
    """Each module imports on its own (no cycle between stages hides behind import order)."""
    failures = []
    for module, _ in module_files():
        if module == "argolint.__main__":
            continue  # it runs the CLI
        try:
            importlib.import_module(module)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(f"{module}: {type(exc).__name__}: {exc}")
    assert failures == []
