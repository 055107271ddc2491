"""`argolint dry-run FILE [FILE ...]`: simulate a workflow offline and show what it would do.

Exit codes: 0 the simulated workflow Succeeded; 1 it Failed, Errored, hangs, stays
suspended or a bound stopped the run; 4 Incomplete: the outcome depends on an output no
mock gives; 2 usage errors (no workflow, bad mock file ...); 3 internal error. With several
workflows: 1 if any would fail, else 4 if any is Incomplete, else 0.
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
        epilog="""\
Several Workflows/CronWorkflows among the files run one after another (or just the one
--workflow names).

Outputs no mock gives are inferred when the container only runs echo/printf (marked
"(inferred)"; a mock always wins), else shown as placeholders such as
<flip-coin.outputs.result>. When a `when`, a loop or a failure depends on such a
placeholder the phase is Incomplete, with each unknown value and the mock key that would
supply it; --mock-skeleton FILE writes the mock file to fill in.

Exit codes: 0 the workflow would succeed; 1 it would fail, error, hang or be stopped by a
bound; 4 Incomplete (depends on an output no mock gives); 2 usage error; 3 internal error.
With several workflows: 1 if any would fail, else 4 if any is Incomplete.""",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="FILE", help="YAML/JSON files (or directories); '-' reads stdin")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="set a workflow parameter, like `argo submit -p` (repeatable)")
    p.add_argument("--parameter-file", metavar="FILE", help="workflow parameters from a YAML/JSON file of "
                   "NAME: VALUE, like `argo submit --parameter-file` (-p wins)")
    p.add_argument("--entrypoint", metavar="TEMPLATE", help="run this template instead of spec.entrypoint")
    p.add_argument("--mock", metavar="FILE", help="outcomes of steps and tasks: result, parameters, exitCode, "
                   "phase, message, duration, attempts (see `argolint dry-run --help-mocks`)")
    p.add_argument("--fail", action="append", default=[], metavar="NAME",
                   help="make the step/task NAME fail with exit code 1 (repeatable; `*` globs)")
    p.add_argument("--workflow", metavar="NAME", help="run only this document (metadata.name or generateName); "
                   "by default every Workflow and CronWorkflow of the files runs, one after another")
    p.add_argument("--mock-skeleton", metavar="FILE", help="write a mock file with every step and task the run "
                   "reached and a null per output it used without a mock ('-': standard error)")
    p.add_argument("--name", metavar="NAME", help="the workflow's name when one workflow runs (default: "
                   "metadata.name, or generateName followed by xxxxx)")
    p.add_argument("--format", choices=("text", "json", "mermaid", "dot"), default="text",
                   help="text (a tree), json (fields in README's Dry run section), or a picture of the executed "
                   "graph coloured by phase: mermaid, dot (Graphviz: `dot -Tpng`) (default: text)")
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
    from argolint.cli.collector import collector_paused
    from argolint.evaluator.api import INCOMPLETE, DryRunError, check_mock_keys, evaluate, load, select, select_all
    from argolint.evaluator.engine import Limits
    from argolint.evaluator.mocks import MockError, load_mocks

    try:
        parameters = _parameters(args)
    except (ValueError, DryRunError) as exc:
        print(f"argolint dry-run: error: {exc}", file=sys.stderr)
        return 2
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
        with collector_paused():
            project = load(args.paths)
        documents = [select(project, args.workflow)] if args.workflow else select_all(project)
        check_mock_keys(mocks, project)
    except (DryRunError, MockError) as exc:
        print(f"argolint dry-run: error: {exc}", file=sys.stderr)
        return 2
    limits = Limits(args.max_nodes, args.max_loop_items, args.max_depth, args.max_ticks, args.timeout)
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 40 * args.max_depth + 2000))
    try:
        with collector_paused():
            evaluations = [evaluate(project, document, parameters, args.entrypoint, mocks,
                                    args.name if len(documents) == 1 else None, limits) for document in documents]
    finally:
        sys.setrecursionlimit(old_limit)
    _write(args, evaluations)
    if args.mock_skeleton:
        from argolint.evaluator.skeleton import skeleton

        text = skeleton(evaluations)
        if args.mock_skeleton == "-":
            sys.stderr.write(text)
        else:
            try:
                with open(args.mock_skeleton, "w", encoding="utf-8") as handle:
                    handle.write(text)
            except OSError as exc:
                print(f"argolint dry-run: error: --mock-skeleton {args.mock_skeleton}: {exc.strerror}",
                      file=sys.stderr)
                return 2
    unused = mocks.unused()
    if unused:
        print(f"argolint dry-run: warning: no node matched the mock or --fail name(s): {', '.join(unused)}",
              file=sys.stderr)
    phases = {e.phase for e in evaluations}
    if phases <= {"Succeeded"}:
        return 0
    return 4 if phases <= {"Succeeded", INCOMPLETE} else 1


def _parameters(args) -> list:
    """`--parameter-file` then `-p` (a later value of a name wins, as in `argo submit`)."""
    from argolint.evaluator.api import read_parameter_file, split_parameter

    parameters = []
    if args.parameter_file:
        parameters.extend(read_parameter_file(args.parameter_file))
    for item in args.parameter:
        pair = split_parameter(item)
        if pair is None:
            raise ValueError(f"-p {item}: expected NAME=VALUE")
        parameters.append(pair)
    return parameters


def _write(args, evaluations: list) -> None:
    from argolint.evaluator.report import to_json, to_text

    if args.format == "json":
        sys.stdout.write(to_json(evaluations[0] if len(evaluations) == 1 else evaluations))
        return
    if args.format in ("mermaid", "dot"):
        from argolint.evaluator.picture import to_dot, to_mermaid

        draw = to_mermaid if args.format == "mermaid" else to_dot
        sys.stdout.write("\n".join(draw(e) for e in evaluations))
        return
    color = not args.no_color and not os.environ.get("NO_COLOR") and getattr(sys.stdout, "isatty", lambda: False)()
    sys.stdout.write("\n".join(to_text(e, color=color, trace=args.trace) for e in evaluations))
