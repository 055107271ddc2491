"""The command line: lint, rules, explain, graph, dry-run, lsp."""

from argolint.cli.main import main, run

__all__ = ["main", "run"]
