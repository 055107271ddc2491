"""`argolint dry-run FILE [FILE ...]`: simulate a workflow offline and show what it would do.

Exit codes: 0 the simulated workflow Succeeded; 1 it Failed, Errored, hangs, stays
suspended or a bound stopped the run; 2 usage errors (no workflow, bad mock file ...);
3 internal error.
"""

from __future__ import annotations

import argparse
import os
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="argolint dry-run",
        description="Simulate an Argo workflow offline: which steps run in which order, what each container would "
        "be started with, what every `when` decides, and every reference that would not resolve. Any file may "
        "also hold the WorkflowTemplates the workflow refers to.",
        epilog="Exit codes: 0 the workflow would succeed, 1 it would fail, error, hang or be stopped by a bound, "
        "2 usage error, 3 internal error.")
    p.add_argument("paths", nargs="+", metavar="FILE", help="YAML/JSON files (or directories); '-' reads stdin")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="set a workflow parameter, like `argo submit -p` (repeatable)")
    p.add_argument("--entrypoint", metavar="TEMPLATE", help="run this template instead of spec.entrypoint")
    p.add_argument("--mock", metavar="FILE", help="outcomes of steps and tasks: result, parameters, exitCode, "
                   "phase, message, duration, attempts (see `argolint dry-run --help-mocks`)")
    p.add_argument("--fail", action="append", default=[], metavar="NAME",
                   help="make the step/task NAME fail with exit code 1 (repeatable; `*` globs)")
    p.add_argument("--workflow", metavar="NAME", help="the document to run (metadata.name or generateName) when "
                   "the files hold several")
    p.add_argument("--name", metavar="NAME", help="the workflow's name (default: metadata.name, or generateName "
                   "followed by xxxxx)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--trace", action="store_true", help="text: also print the event trace, tick by tick")
    p.add_argument("--max-nodes", type=int, default=10_000, metavar="N", help="stop after N nodes (default 10000)")
    p.add_argument("--max-loop-items", type=int, default=10_000, metavar="N",
                   help="stop at a loop of more than N items (default 10000)")
    p.add_argument("--max-depth", type=int, default=100, metavar="N",
                   help="template nesting depth at which a node errors, as Argo's (default 100, at most 200)")
    p.add_argument("--max-ticks", type=int, default=100_000, metavar="N",
                   help="stop when simulated time passes N ticks (default 100000)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="stop a run that takes longer than this, in wall-clock seconds (default 60)")
    p.add_argument("--help-mocks", action="store_true", help="explain the mock file format and exit")
    p.add_argument("--no-color", action="store_true", help="never colour the text output")
    return p


def dry_run_main(argv) -> int:
    if "--help-mocks" in argv:
        from argolint.evaluator import mocks

        print(mocks.__doc__.strip())
        return 0
    args = _parser().parse_args(argv)
    from argolint.evaluator.api import DryRunError, evaluate, load, select
    from argolint.evaluator.engine import Limits
    from argolint.evaluator.mocks import MockError, load_mocks
    from argolint.evaluator.report import to_json, to_text

    parameters = []
    for item in args.parameter:
        key, sep, value = item.partition("=")
        if not sep or not key:
            print(f"argolint dry-run: error: -p {item}: expected NAME=VALUE", file=sys.stderr)
            return 2
        parameters.append((key, value))
    for flag in ("max_nodes", "max_loop_items", "max_depth", "max_ticks"):
        if getattr(args, flag) < 1:
            print(f"argolint dry-run: error: --{flag.replace('_', '-')} must be at least 1", file=sys.stderr)
            return 2
    if not args.timeout > 0:
        print("argolint dry-run: error: --timeout must be a positive number of seconds", file=sys.stderr)
        return 2
    if args.max_depth > 200:
        print("argolint dry-run: error: --max-depth is at most 200", file=sys.stderr)
        return 2
    try:
        mocks = load_mocks(args.mock, tuple(args.fail))
        project = load(args.paths)
        document = select(project, args.workflow)
    except (DryRunError, MockError) as exc:
        print(f"argolint dry-run: error: {exc}", file=sys.stderr)
        return 2
    limits = Limits(args.max_nodes, args.max_loop_items, args.max_depth, args.max_ticks, args.timeout)
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 40 * args.max_depth + 2000))
    try:
        evaluation = evaluate(project, document, parameters, args.entrypoint, mocks, args.name, limits)
    finally:
        sys.setrecursionlimit(old_limit)
    if args.format == "json":
        sys.stdout.write(to_json(evaluation))
    else:
        color = not args.no_color and not os.environ.get("NO_COLOR") and getattr(sys.stdout, "isatty", lambda: False)()
        sys.stdout.write(to_text(evaluation, color=color, trace=args.trace))
    unused = mocks.unused()
    if unused:
        print(f"argolint dry-run: warning: no node matched the mock or --fail name(s): {', '.join(unused)}",
              file=sys.stderr)
    return 0 if evaluation.phase == "Succeeded" else 1
