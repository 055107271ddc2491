"""What the lint command's ruff-like flags do around a run: where the report goes, colour,
`--statistics`, `-q`/`-v`, `--show-settings` and `--show-files`."""

from __future__ import annotations

import os
import sys


def _split(value) -> list:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def apply_walk_flags(config, args):
    """`--context`, `--exclude` and `--extend-exclude` over the configuration (paths on the
    command line are relative to the current directory, not to the configuration file)."""
    if args.context:
        if not os.path.isdir(args.context):
            from argolint.load.files import UsageError

            raise UsageError(f"--context {args.context}: no such directory")
        config.context = os.path.abspath(args.context)
    if args.exclude is not None:
        config.exclude = _split(args.exclude)
    if args.extend_exclude:
        config.extend_exclude = list(config.extend_exclude) + _split(args.extend_exclude)
    return config


def use_color(args, stream) -> bool:
    """`--color always|never`; `auto`: colour on a terminal, or whenever FORCE_COLOR is set
    (force-color.org); NO_COLOR (no-color.org) turns it off unless `--color always`."""
    if args.no_color or args.color == "never":
        return False
    if args.color == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def finish_run(result, config, args, render) -> None:
    """Write the report (or the statistics) where `-o` says, and the notes `-q` silences
    and `-v` adds on stderr."""
    fmt = args.format or "text"
    out = open(args.output_file, "w", encoding="utf-8", newline="") if args.output_file else sys.stdout
    try:
        color = fmt == "text" and use_color(args, out)
        if args.statistics:
            from argolint.report.statistics import render_statistics

            text = render_statistics(result, fmt)
        else:
            text = render(result, fmt, color=color)
            if args.quiet and fmt == "text":
                text = "".join(text.splitlines(keepends=True)[:-1])  # the summary line
        out.write(text)
    finally:
        if out is not sys.stdout:
            out.close()
    if args.verbose:
        _verbose_notes(result, config)
    if not result.files and fmt == "text" and not args.quiet:
        print("argolint: no YAML or JSON files found", file=sys.stderr)


def _verbose_notes(result, config) -> None:
    print(f"argolint: configuration: {config.source or '(defaults)'}", file=sys.stderr)
    if result.context_root:
        print(f"argolint: project context: {result.context_root} ({result.context_files} files indexed)",
              file=sys.stderr)
    for path, reason in result.skipped:
        print(f"argolint: skipped {path}: {reason}", file=sys.stderr)


def show_settings(config, args) -> int:
    """The configuration as the run would use it, with the file it came from."""
    import json

    from argolint.config import as_model
    from argolint.lint.context import context_root

    settings = as_model(config).model_dump(by_alias=True, exclude={"source", "root"})
    payload = {"configuration-file": config.source, "project-context": context_root(config, args.paths or ["."]),
               "cache": not args.no_cache, "settings": settings}
    print(json.dumps(payload, indent=2))
    return 0


def show_files(config, args) -> int:
    """The files a run would lint, one a line (after walking, .gitignore and excludes)."""
    from argolint.load.files import collect

    files, _ = collect(args.paths or ["."], config.walk_options())
    for f in files:
        print(f)
    return 0
