"""The `argolint` command. Imports stay inside the functions that need them: `--version`
and a lint of one small file must not pay for the evaluator, the language server or other
reporters."""

from __future__ import annotations

import argparse
import errno
import os
import sys

SUBCOMMANDS = ("rules", "explain", "dry-run", "graph", "lsp")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, reading the terminal's width only to print: argparse makes a formatter
    for every argument added (to check its metavar), and `HelpFormatter.__init__` reads the
    width through shutil, ~3 ms of import (with bz2 and lzma) in every run."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None, **options):
        super().__init__(prog, indent_increment, max_help_position, 80 if width is None else width, **options)
        self._width_unread = width is None
        self._help_position_limit = max_help_position

    def format_help(self) -> str:
        if self._width_unread:  # as HelpFormatter.__init__ sets them
            import shutil

            self._width = shutil.get_terminal_size().columns - 2
            self._max_help_position = min(self._help_position_limit, max(self._width - 20, self._indent_increment * 2))
            self._width_unread = False
        return super().format_help()


def _lint_parser() -> argparse.ArgumentParser:
    from argolint import __version__
    from argolint.report import FORMATS

    p = argparse.ArgumentParser(
        prog="argolint",
        formatter_class=HelpFormatter,
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
    p.add_argument("--select", metavar="RULE,...",
                   help="report only these rules or categories (correctness, security, best-practice; "
                   "default: correctness)")
    p.add_argument("--extend-select", metavar="RULE,...", help="also report these rules or categories")
    p.add_argument("--ignore", metavar="RULE,...", help="do not report these rules")
    p.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    p.add_argument("--template-path", action="append", default=[], metavar="DIR",
                   help="index WorkflowTemplates and RBAC manifests there without reporting on them")
    p.add_argument("--stdin-filename", default="-", metavar="NAME", help="the name to report for '-'")
    p.add_argument("--no-color", action="store_true", help="never colour the text output (same as --color never)")
    _add_run_options(p)
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="lint in N processes (default: one per CPU above 200 files, else 1)")
    fixing = p.add_argument_group("fixes")
    fixing.add_argument("--fix", action="store_true", help="apply the safe fixes in place, then report what is left")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply the unsafe ones too")
    fixing.add_argument("--fix-only", action="store_true", help="apply fixes and report nothing (exit 0)")
    fixing.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing "
                        "(exit 1 when there is something to fix)")
    fixing.add_argument("--add-ignore", action="store_true",
                        help="write a `# argolint: ignore[rule]` comment for every diagnostic reported")
    p.add_argument("--version", action="version", version=f"argolint {__version__}")
    return p


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (1 or more), found '{value}'")
    return int(value)


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
                            _split_ids(args.ignore) if args.ignore else None, flag_prefix="--",
                            extend_select=_split_ids(args.extend_select) if args.extend_select else None)
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

    fmt = args.format or "text"
    try:
        config = _configure(args)
        if args.show_settings:
            return show_settings(config, args)
        if args.show_files:
            return show_files(config, args)
        if args.fix or args.fix_only or args.diff or args.add_ignore:
            from argolint.cli.fix import add_ignore_main, fix_main
            from argolint.cli.run_options import use_color

            if args.add_ignore:
                return add_ignore_main(args, config)
            return fix_main(args, config, lambda result, stream: stream.write(
                render(result, fmt, color=fmt == "text" and stream is sys.stdout and use_color(args, stream))))
        result = load_and_lint(args.paths or ["."], config, args.template_path, args.stdin_filename, args.jobs,
                               context=True, use_cache=not args.no_cache)
    except (ConfigError, UsageError) as exc:
        print(f"argolint: error: {exc}", file=sys.stderr)
        return 2
    try:
        finish_run(result, config, args, render)
    except OSError as exc:  # -o into a folder that does not exist, and the like
        if not args.output_file:
            raise  # stdout itself failed: main() says so once, for every command
        print(f"argolint: error: {args.output_file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    code = exit_code(result.diagnostics, config.strict)
    if code == 3:
        print("argolint: internal error: a rule or the loader crashed (see the internal-error diagnostics); "
              "this is a bug in argolint, please report it with the input that caused it", file=sys.stderr)
    return 0 if args.exit_zero and code == 1 else code


def load_and_lint(paths: list, config, template_paths=(), stdin_name: str = "-", jobs=None, context: bool = False,
                  use_cache: bool = True):
    """Load the files and lint them, as `argolint PATH...` does (the benchmarks time this).
    Raises ConfigError or UsageError. The collector is paused meanwhile (`cli.collector`)."""
    from argolint.cli.collector import collector_paused
    from argolint.lint.runner import build_project, lint_project

    with collector_paused():
        return lint_project(build_project(paths, config, template_paths, stdin_name, context, use_cache), config,
                            jobs=jobs)


def rules_main(argv) -> int:
    argparse.ArgumentParser(prog="argolint rules", description="List every rule.",
                            formatter_class=HelpFormatter).parse_args(argv)
    from argolint.rules import RULES

    width = max(len(r.id) for r in RULES)
    print(f"{'RULE':<{width}}  {'SEVERITY':<8}  {'CATEGORY':<13}  {'FIX':<6}  SUMMARY")
    for rule in RULES:
        print(f"{rule.id:<{width}}  {rule.severity.value:<8}  {rule.category:<13}  {rule.fix():<6}  {rule.summary()}")
    return 0


def explain_main(argv) -> int:
    p = argparse.ArgumentParser(prog="argolint explain", description="Show a rule's documentation.",
                                formatter_class=HelpFormatter)
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
    from argolint.rules.base import DEFAULT_CATEGORIES

    opt_in = "" if rule.category in DEFAULT_CATEGORIES else \
        f", {rule.category}: off unless selected, e.g. `--extend-select {rule.category}`"
    print(f"# {rule.id} ({rule.severity.value}{opt_in})\n")
    print(rule.doc())
    print()
    print(rule.fix_doc())
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


# Writing the report failed: a closed stdout (`>&-`), a full disk (`> /dev/full`), a
# quota, an I/O error. Exit 2, as for other problems with how argolint was run.
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG})
OUTPUT_ERROR_EXIT = 2


def _output_failed(reason: str) -> int:
    if sys.stderr is not None:
        print(f"argolint: error: cannot write the output: {reason}", file=sys.stderr)
    _silence_stdout()
    return OUTPUT_ERROR_EXIT


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w")


def run() -> None:
    """The `argolint` command (and `python -m argolint`): `main`, then an exit that skips
    the interpreter's teardown, which frees every object of the run one by one (~7 ms of
    the 217 examples' lint, more on a large project) although the process is ending and
    the kernel takes its memory back at once. Everything written is flushed first, and
    files are closed where they are written. The ordinary exit is kept when flushing fails
    (it reports what it always did) and under a profiler, tracer or coverage tool, whose
    results are written at exit."""
    code = main()
    if not isinstance(code, int) or sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        raise SystemExit(code)
    os._exit(code)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None and not (argv and argv[0] == "lsp"):
        return _output_failed("standard output is closed")
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
        _silence_stdout()
        return 0
    except OSError as exc:
        if exc.errno in _OUTPUT_ERRORS:
            return _output_failed(exc.strerror or str(exc))
        return _internal_error()
    except SystemExit as exc:  # argparse: --help and --version (0), usage errors (2)
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 2
    except Exception:  # a bug: say so, ask for a report, exit 3
        return _internal_error()


def _internal_error() -> int:
    import traceback

    print("argolint: internal error (a bug in argolint; please report it with the input that caused it):",
          file=sys.stderr)
    traceback.print_exc()
    return 3
