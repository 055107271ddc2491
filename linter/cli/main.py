"""The `argolint` command. Imports stay inside the functions that need them: `--version`
and a lint of one small file must not pay for the evaluator, the language server or other
reporters."""

from __future__ import annotations

import argparse
import gc
import os
import sys

SUBCOMMANDS = ("rules", "explain", "dry-run", "graph", "lsp")


def _lint_parser() -> argparse.ArgumentParser:
    from argolint import __version__
    from argolint.report import FORMATS

    p = argparse.ArgumentParser(
        prog="argolint",
        description="Lint Argo Workflows manifests. Subcommands: rules, explain RULE, dry-run FILE, graph FILE, lsp.",
        epilog="Exit codes: 0 no errors, 1 errors found (or warnings with --strict), 2 usage or configuration "
        "error, 3 internal error.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files and directories to lint (*.yaml, *.yml, *.json, recursively); '-' reads stdin; "
                   "default: the current directory")
    p.add_argument("--format", choices=FORMATS, default=None, help="output format (default: text)")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file (default: .argolint.yaml or [tool.argolint] in pyproject.toml, "
                   "searched upwards)")
    p.add_argument("--select", metavar="RULE,...", help="report only these rules")
    p.add_argument("--ignore", metavar="RULE,...", help="do not report these rules")
    p.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    p.add_argument("--template-path", action="append", default=[], metavar="DIR",
                   help="index WorkflowTemplates and RBAC manifests there without reporting on them")
    p.add_argument("--stdin-filename", default="-", metavar="NAME", help="the name to report for '-'")
    p.add_argument("--no-color", action="store_true", help="never colour the text output (same as --color never)")
    _add_run_options(p)
    p.add_argument("--version", action="version", version=f"argolint {__version__}")
    return p


def _add_run_options(p: argparse.ArgumentParser) -> None:
    """The flags users bring from ruff and actionlint (issue 17)."""
    p.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text output: auto (a terminal; FORCE_COLOR forces it, NO_COLOR turns it off)")
    p.add_argument("--statistics", action="store_true", help="show the number of diagnostics per rule instead")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    p.add_argument("-q", "--quiet", action="store_true", help="print the diagnostics and nothing else")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also say on stderr which configuration and context are used, and which files were skipped")
    p.add_argument("--show-settings", action="store_true", help="print the resolved configuration and exit")
    p.add_argument("--show-files", action="store_true", help="print the files that would be linted and exit")
    p.add_argument("--context", metavar="DIR",
                   help="index WorkflowTemplates and RBAC manifests of this project folder (default: the "
                   "configuration's folder, else the git root)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write .argolint_cache/")
    p.add_argument("--exclude", metavar="GLOB,...", help="entries a directory walk skips (replaces `exclude`)")
    p.add_argument("--extend-exclude", metavar="GLOB,...", help="more entries to skip (adds to `extend-exclude`)")


def _split_ids(value):
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _configure(args):
    from argolint.config import load_config, with_overrides

    config = load_config(args.config)
    config = with_overrides(config, _split_ids(args.select) if args.select else None,
                            _split_ids(args.ignore) if args.ignore else None, flag_prefix="--")
    if args.strict:
        config.strict = True
    from argolint.cli.run_options import apply_walk_flags

    return apply_walk_flags(config, args)


def lint_main(argv) -> int:
    parser = _lint_parser()
    args = parser.parse_args(argv)
    from argolint.config import ConfigError
    from argolint.report import render
    from argolint.lint.runner import exit_code
    from argolint.load.files import UsageError
    from argolint.cli.run_options import finish_run, show_files, show_settings

    try:
        config = _configure(args)
        if args.show_settings:
            return show_settings(config, args)
        if args.show_files:
            return show_files(config, args)
        result = load_and_lint(args.paths or ["."], config, args.template_path, args.stdin_filename,
                               context=True, use_cache=not args.no_cache)
    except (ConfigError, UsageError) as exc:
        print(f"argolint: error: {exc}", file=sys.stderr)
        return 2
    try:
        finish_run(result, config, args, render)
    except OSError as exc:  # -o into a folder that does not exist, and the like
        print(f"argolint: error: {args.output_file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    code = exit_code(result.diagnostics, config.strict)
    if code == 3:
        print("argolint: internal error: a rule or the loader crashed (see the internal-error diagnostics); "
              "this is a bug in argolint, please report it with the input that caused it", file=sys.stderr)
    return 0 if args.exit_zero and code == 1 else code


def load_and_lint(paths: list, config, template_paths=(), stdin_name: str = "-", context: bool = False,
                  use_cache: bool = True):
    """Load the files and lint them, as `argolint PATH...` does (the benchmarks time this).
    Raises ConfigError or UsageError.

    The garbage collector is off meanwhile: loading builds millions of objects that live
    to the end, and every full collection walked all of them (a third of the lint of a
    large DAG, and a fifth of it even with the loaded documents frozen out of collections,
    as the rules' own objects pile up). Nothing here depends on collecting cycles early;
    what the rules leave behind costs some memory until the collector is restored (about
    15% more on 4,000 files). Only for this one-shot command: the language server, a
    long-running process, does not do this."""
    from argolint.lint.runner import build_project, lint_project

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return lint_project(build_project(paths, config, template_paths, stdin_name, context, use_cache), config)
    finally:
        if was_enabled:
            gc.enable()


def rules_main(argv) -> int:
    argparse.ArgumentParser(prog="argolint rules", description="List every rule.").parse_args(argv)
    from argolint.rules import RULES

    width = max(len(r.id) for r in RULES)
    print(f"{'RULE':<{width}}  {'SEVERITY':<8}  SUMMARY")
    for rule in RULES:
        print(f"{rule.id:<{width}}  {rule.severity.value:<8}  {rule.summary()}")
    return 0


def explain_main(argv) -> int:
    p = argparse.ArgumentParser(prog="argolint explain", description="Show a rule's documentation.")
    p.add_argument("rule")
    args = p.parse_args(argv)
    from argolint.rules import by_id
    from argolint.diagnostics import did_you_mean

    rule = by_id().get(args.rule)
    if rule is None:
        hint = did_you_mean(args.rule, by_id())
        print(f"argolint: error: unknown rule '{args.rule}'" + (f"; {hint}" if hint else "; see `argolint rules`"),
              file=sys.stderr)
        return 2
    print(f"# {rule.id} ({rule.severity.value})\n")
    print(rule.doc())
    return 0


def _subcommand(name: str):
    if name == "rules":
        return rules_main
    if name == "explain":
        return explain_main
    if name == "dry-run":
        from argolint.cli.dry_run import dry_run_main

        return dry_run_main
    if name == "graph":
        from argolint.cli.graph import graph_main

        return graph_main
    from argolint.lsp.server import lsp_main

    return lsp_main


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            try:
                handler = _subcommand(argv[0])
            except ImportError as exc:
                extra = " (install it with: pip install 'argolint[lsp]')" if argv[0] == "lsp" else ""
                print(f"argolint: error: '{argv[0]}' is not available: {exc}{extra}", file=sys.stderr)
                return 2
            return handler(argv[1:])
        return lint_main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `argolint ... | head`: stop quietly, and keep the interpreter from
        # complaining again when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except SystemExit as exc:  # argparse: --help and --version (0), usage errors (2)
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 2
    except Exception:  # a bug: say so, ask for a report, exit 3
        import traceback

        print("argolint: internal error (a bug in argolint; please report it with the input that caused it):",
              file=sys.stderr)
        traceback.print_exc()
        return 3
