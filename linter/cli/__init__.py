"""The command line: lint, rules, explain, graph, dry-run, lsp."""

from argolint.cli.main import main

__all__ = ["main"]
