import io
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
# The 217 upstream example files, vendored with their license (tests/data/argo-examples/NOTICE.md).
CORPUS = os.path.join(ROOT, "tests", "data", "argo-examples")
SEED = os.path.join(FIXTURES, "seed")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def corpus():
    return CORPUS


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run `argolint ARGS` in this process from `cwd`: (exit code, stdout, stderr). Faster than a
    subprocess; the tests that need a real process (terminal, pipes, console script) use run_cli."""

    def run(*args, cwd, stdin: bytes | None = None):
        monkeypatch.chdir(cwd)
        monkeypatch.delenv("NO_COLOR", raising=False)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsys.readouterr()
        from argolint.cli.main import main

        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
