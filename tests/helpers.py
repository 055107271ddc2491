"""Lint in-process the way the CLI does, for tests that assert diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys

from argolint.config import Config, load_config
from argolint.lint.runner import build_project, lint_project


def lint(*paths, config: Config | None = None, template_paths=()):
    config = config or Config()
    project = build_project([str(p) for p in paths], config, template_paths)
    return lint_project(project, config).diagnostics


def lint_text(tmp_path, text: str, name: str = "wf.yaml", config: Config | None = None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint(path, config=config)


def short(diagnostics, rule=None):
    """`LINE:COLUMN: RULE` for each diagnostic (of `rule` only, when given)."""
    return [f"{d.line}:{d.column}: {d.rule}" for d in diagnostics if rule is None or d.rule == rule]


def config_for(folder: str) -> Config:
    path = os.path.join(folder, ".argolint.yaml")
    return load_config(path) if os.path.exists(path) else Config()


def dry_run(capsys, *args):
    """Run `argolint dry-run ARGS` in-process: (exit code, stdout, stderr)."""
    from argolint.cli.main import main

    code = main(["dry-run", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def run_cli(*args, stdin: bytes | None = None, cwd=None, env=None):
    """Run `python -m argolint ARGS` in a subprocess: (exit code, stdout, stderr)."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "argolint", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, env=full_env, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
