"""The Python entry points: lint files or a text, dry-run a workflow. `import argolint`
exposes them lazily (see `argolint/__init__.py`), so a program that only imports the
package pays for nothing until it calls one.

    >>> import argolint
    >>> for d in argolint.lint_text(manifest, filename="wf.yaml"):
    ...     print(d.line, d.column, d.rule, d.message)
"""

from __future__ import annotations

import os
from typing import Iterable, Mapping, Optional, Union

ConfigLike = Union[None, str, "os.PathLike[str]", Mapping, "Config"]  # noqa: F821


def _config(config: ConfigLike, select: Optional[Iterable[str]], ignore: Optional[Iterable[str]]):
    """A Config from what the caller gave: None (argolint's defaults; no file is searched),
    a path to a configuration file, a mapping with the keys of `.argolint.yaml`, or a
    Config. `select`/`ignore` replace/extend the configuration's, as the CLI flags do."""
    from argolint.config import DefaultConfig, load_config, validate_config, with_overrides

    if config is None:
        config = DefaultConfig()
    elif isinstance(config, (str, os.PathLike)):
        config = load_config(os.fspath(config))
    elif isinstance(config, Mapping):
        config = validate_config(dict(config), "config")
    return with_overrides(config, select, ignore)


def lint_paths(paths: Iterable[Union[str, "os.PathLike[str]"]], *, config: ConfigLike = None,
               select: Optional[Iterable[str]] = None, ignore: Optional[Iterable[str]] = None,
               template_paths: Iterable[Union[str, "os.PathLike[str]"]] = ()) -> list:
    """Lint files and directories (searched recursively for *.yaml, *.yml, *.json) as
    `argolint PATH...` does, and return its `Diagnostic` records sorted by file, line,
    column and rule. Raises `argolint.config.ConfigError` for a bad configuration and
    `argolint.load.files.UsageError` for a path that does not exist."""
    from argolint.lint.runner import build_project, lint_project

    config = _config(config, select, ignore)
    project = build_project([os.fspath(p) for p in paths], config, [os.fspath(p) for p in template_paths])
    return lint_project(project, config).diagnostics


def lint_text(text: str, filename: str = "<text>", *, config: ConfigLike = None,
              select: Optional[Iterable[str]] = None, ignore: Optional[Iterable[str]] = None,
              template_paths: Iterable[Union[str, "os.PathLike[str]"]] = ()) -> list:
    """Lint one YAML or JSON text (any number of documents) and return its `Diagnostic`
    records; `filename` is the name they report. WorkflowTemplates and RBAC manifests under
    `template_paths` are indexed for references without being reported on."""
    from argolint.lint.runner import build_project, lint_project
    from argolint.load.loader import LimitOptions, load_text

    config = _config(config, select, ignore)
    project = build_project([], config, [os.fspath(p) for p in template_paths])
    limits = LimitOptions(max_file_bytes=config.max_file_size * 1024 * 1024)
    project.add(load_text(text, filename, limits))
    return lint_project(project, config).diagnostics


def dry_run(source: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]] = (), *,
            text: Optional[str] = None, workflow: Optional[str] = None,
            parameters: Union[Mapping[str, str], Iterable[str]] = (), entrypoint: Optional[str] = None,
            mocks: Union[None, str, "os.PathLike[str]", Mapping] = None, fail: Iterable[str] = ()):
    """Simulate a workflow as `argolint dry-run` does and return the `Evaluation` (its
    `phase`, `message`, `nodes`, `outputs` and `unresolved` references; `phase` is
    `Incomplete` when the outcome depends on outputs no mock gives, listed in `unknowns`).

    Give files (`source`: a path or several; other documents there may be the
    WorkflowTemplates it refers to) or a YAML `text`. `workflow` picks a document by name,
    `parameters` override workflow parameters (a mapping, or `NAME=VALUE` strings like
    `argo submit -p`), `mocks` is a mock file's path or the same data as a mapping, `fail`
    names steps/tasks to fail (as `--fail`).
    Raises `argolint.evaluator.api.DryRunError` when there is nothing to run."""
    from argolint.evaluator.api import DryRunError, evaluate, evaluate_text, load, select, split_parameter
    from argolint.evaluator.mocks import Mocks, MockError, load_mocks

    if isinstance(parameters, Mapping):
        pairs = [(str(k), str(v)) for k, v in parameters.items()]
    else:
        pairs = []
        for item in parameters:
            pair = split_parameter(item)
            if pair is None:
                raise DryRunError(f"parameter {item!r}: expected NAME=VALUE")
            pairs.append(pair)
    try:
        if isinstance(mocks, Mapping):
            mocks = Mocks(dict(mocks), tuple(fail))
        elif mocks is not None:
            mocks = load_mocks(os.fspath(mocks), tuple(fail))
        elif fail:
            mocks = Mocks(None, tuple(fail))
    except MockError as exc:
        raise DryRunError(str(exc)) from None
    if text is not None:
        return evaluate_text(text, "<text>", workflow=workflow, parameters=pairs, entrypoint=entrypoint, mocks=mocks)
    paths = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if not paths:
        raise DryRunError("give a file to run, or text=")
    project = load([os.fspath(p) for p in paths])
    return evaluate(project, select(project, workflow), parameters=pairs, entrypoint=entrypoint, mocks=mocks)
