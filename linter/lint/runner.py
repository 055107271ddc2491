"""From paths to a LintResult: collect files, load them once, index, lint. Shared by the
CLI and the language server."""

from __future__ import annotations

import os
from typing import Callable, Iterable, Optional

from argolint.diagnostics import Diagnostic, Severity, Span
from argolint.load.files import UsageError, clear_real_paths, collect, real_path
from argolint.lint.context import context_files, context_root
from argolint.load.loader import LimitOptions, LoadedFile, read_file, read_stdin
from argolint.analysis.project import Project
from argolint.report.result import LintResult


def _load(path: str, limits: LimitOptions, stdin_name: str) -> LoadedFile:
    try:
        if path == "-":
            return read_stdin(stdin_name, limits)
        return read_file(path, path, limits)
    except Exception as exc:  # a loader bug must not stop the other files
        loaded = LoadedFile(stdin_name if path == "-" else path)
        loaded.diagnostic("internal-error", f"loading this file crashed: {type(exc).__name__}: {exc}",
                          Span(1, 1, 1, 1), hint="this is a bug in argolint; please report it with this file")
        return loaded


def build_project(paths: list[str], config, template_paths: Iterable[str] = (), stdin_name: str = "-",
                  context: bool = False, use_cache: bool = True) -> Project:
    """The files of `paths`, loaded to be linted, and those of the template paths and (with
    `context`) of the project context, indexed only."""
    clear_real_paths()  # a long-lived caller (the API) sees links changed since its last run
    limits = LimitOptions(max_file_bytes=config.max_file_size * 1024 * 1024)
    options = config.walk_options()
    files, problems = collect(paths, options)
    project = Project()
    for bad in problems:
        project.add(bad)
    reported = {real_path(f) for f in files if f != "-"}
    for f in files:
        project.add(_load(f, limits, stdin_name))
    extra = []
    for path in config.template_paths:
        resolved = config.resolve(path)
        if not os.path.exists(resolved):
            from argolint.config import ConfigError

            raise ConfigError(f"{config.source or 'configuration'}: 'template-paths': {path}: no such file or directory")
        extra.append(resolved)
    for path in template_paths:
        if not os.path.exists(path):
            raise UsageError(f"--template-path {path}: no such file or directory")
        extra.append(path)
    if extra:
        index_files, _ = collect(extra, options)
        for f in index_files:
            if real_path(f) not in reported:
                reported.add(real_path(f))
                project.add(_load(f, limits, stdin_name), reported=False)
    root = context_root(config, paths) if context else None
    if root is not None and os.path.isdir(root):
        project.context_root = root
        named = reported | {os.path.abspath(f) for f in files if f != "-"}
        for loaded in context_files(root, named, options, limits, use_cache):
            project.add(loaded, reported=False)
    return project


def lint_project(project: Project, config, rules: Optional[list] = None, jobs: Optional[int] = 1,
                 cancelled: Optional[Callable[[], bool]] = None, memo=None) -> LintResult:
    """Lint the reported files of `project`; `jobs` worker processes share them (None: as
    many as CPUs for a large project, see `lint.parallel`). `cancelled`, asked between
    templates, stops a lint that is no longer wanted (the language server's, for a
    superseded version) by raising argolint.lint.engine.Cancelled. `memo` (a
    `lint.reuse.DocumentMemo`, begun for this project) lends the findings of documents
    unchanged since its last lint, in one process."""
    from argolint.lint.engine import Engine
    from argolint.rules import RULES

    if rules is None:
        rules = [r() for r in RULES if r.reported_by is None and _wanted(r, config)]
    engine = Engine(rules, config, cancelled, memo)
    if jobs is None:
        from argolint.lint.parallel import default_jobs

        jobs = default_jobs(len(project.files))
    if jobs > 1 and memo is None:
        from argolint.lint.parallel import lint_in_workers

        diagnostics = lint_in_workers(engine, project, jobs)
    else:
        diagnostics = engine.lint(project)
    sources = {f.path: f.source for f in project.files}
    skipped = [(f.path, f.skipped) for f in project.files if f.skipped]
    return LintResult(diagnostics=diagnostics, files=len(project.files), sources=sources, skipped=skipped,
                      context_root=project.context_root, context_files=len(project.indexed_files))


def _wanted(rule, config) -> bool:
    """Whether to run `rule`: it is enabled, or reports an enabled id on behalf of another rule
    class (whose `reported_by` names it)."""
    from argolint.rules import RULES

    return config.enabled(rule.id) or any(other.reported_by == rule.id and config.enabled(other.id)
                                          for other in RULES)


def exit_code(diagnostics: list[Diagnostic], strict: bool) -> int:
    if any(d.rule == "internal-error" for d in diagnostics):
        return 3
    if any(d.severity == Severity.ERROR for d in diagnostics):
        return 1
    if strict and any(d.severity == Severity.WARNING for d in diagnostics):
        return 1
    return 0
