"""How linting a large DAG scales: the whole lint against loading the file alone.

Generates Workflows whose DAG has N tasks (each depending on about two earlier tasks and
passing one argument with a `{{tasks.X.outputs.result}}` tag), then measures, best of
N, taking turns: loading the file (`read_file`), and the whole lint of it as the CLI does
it (load, index, every registered rule: `argolint.cli.load_and_lint`, with its
garbage-collection policy, and the caches of parsed strings emptied first; `--plain-gc`
times `build_project` + `lint_project` with the collector as it is), in CPU time. The goal
is a whole lint within 1.5x the load, at every size: then nothing in the rules grows
faster than the file. Per-rule times (each the least over the runs) show which rule is
the slow part when it is not; `graph s` sums the rules of the graph checks.

Each size is measured in `--processes` fresh processes (3), keeping the best of them: see
`measure_apart`.

    .venv/bin/python benchmarks/bench_graph.py [--sizes 1000,2000,4000,8000]
        [--style depends|dependencies] [--runs 3] [--processes 3] [--plain-gc]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

HEADER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: big-dag-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow-sa
  templates:
  - name: work
    inputs:
      parameters:
      - name: msg
    script:
      image: alpine:3.20
      command: [sh]
      source: echo "{{inputs.parameters.msg}}"
  - name: main
    dag:
      tasks:
"""


# The rules of the graph issue; their summed time is the `graph s` column.
GRAPH_RULES = {"dag-cycle", "dangling-dependency", "invalid-depends", "unused-template", "infinite-recursion",
               "unresolved-template-ref", "unknown-template"}


def generate(n: int, style: str = "depends", seed: int = 4) -> str:
    """A DAG of n tasks, 5 lines each; task i depends on two of the 50 tasks before it."""
    rng = random.Random(seed)
    out = [HEADER]
    for i in range(n):
        deps = sorted(rng.sample(range(max(0, i - 50), i), min(i, 2)))
        lines = [f"      - name: t{i}", "        template: work"]
        if deps and style == "depends":
            lines.append(f'        depends: "{" && ".join(f"t{d}" for d in deps)}"')
        elif deps:
            lines.append(f"        dependencies: [{', '.join(f't{d}' for d in deps)}]")
        else:
            lines.append("        when: \"{{workflow.name}} != ''\"")
        source = f"tasks.t{deps[0]}.outputs.result" if deps else "workflow.name"
        lines.append("        arguments:")
        lines.append(f'          parameters: [{{name: msg, value: "{{{{{source}}}}}"}}]')
        out.append("\n".join(lines) + "\n")
    return "".join(out)


def best_of(runs: int, *steps):
    """The least CPU time of `runs` calls of each function, and the last result of each.
    Each step is (prepare, function): `prepare` (or None) runs before the clock starts.
    The functions take turns (a, b, a, b ...), so that a busy moment of the shared machine
    weighs on both alike; CPU time, because other processes slow the wall clock, not this;
    and a collection before each call, so that none pays for the garbage of the one before."""
    best, results = [float("inf")] * len(steps), [None] * len(steps)
    for _ in range(runs):
        for i, (prepare, fn) in enumerate(steps):
            results[i] = None  # the last result is freed here, not in the next timed call
            if prepare is not None:
                prepare()
            gc.collect()
            start = time.process_time()
            result = fn()
            best[i] = min(best[i], time.process_time() - start)
            results[i] = result
    return best, results


def forget_parses() -> None:
    """Empty argolint's per-process caches of parsed strings (tags, `depends`, `when`s,
    expressions), which would otherwise make every run after the first cheaper than the
    CLI's."""
    from argolint.analysis.templating import depends, expr, tags, when

    for cached in (tags.scan, depends.parse_depends, when._parse_cached, expr._parse_cached):
        cached.cache_clear()


class RuleTimer:
    """Wraps every hook of every rule instance to add up the time spent in it."""

    def __init__(self, rules):
        self.totals = defaultdict(float)
        for rule in rules:
            for hook in type(rule).hooks():
                setattr(rule, hook, self._wrap(rule.id, getattr(rule, hook)))

    def _wrap(self, rule_id, method):
        def timed(*args):
            start = time.process_time()
            found = list(method(*args))
            self.totals[rule_id] += time.process_time() - start
            return found
        return timed


def measure(n: int, style: str, runs: int, plain_gc: bool) -> dict:
    """The figures of one size, in this process: best load and whole-lint times, each
    rule's least time, and the errors the lint found (there should be none)."""
    from argolint.cli.main import load_and_lint
    from argolint.config import Config
    from argolint.load.loader import read_file
    from argolint.rules import RULES
    from argolint.lint.runner import build_project, lint_project

    config = Config()
    with tempfile.TemporaryDirectory() as tmp:  # warm up: lazy imports are not what is measured
        warm = os.path.join(tmp, "warm.yaml")
        with open(warm, "w", encoding="utf-8") as fh:
            fh.write(generate(50, style))
        lint_project(build_project([warm], config), config)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"dag-{n}.yaml")
        text = generate(n, style)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)

        def whole_lint():
            if plain_gc:
                return lint_project(build_project([path], config), config)
            return load_and_lint([path], config)

        # the caches of parsed strings are emptied first: a CLI run starts without them
        (load, lint), (_, result) = best_of(runs, (None, lambda: read_file(path)), (forget_parses, whole_lint))
        per_rule: dict = {}  # rule id -> least time over the runs
        for _ in range(runs):
            rules = [r() for r in RULES if r.reported_by is None and config.enabled(r.id)]
            timer = RuleTimer(rules)
            lint_project(build_project([path], config), config, rules)
            for rule_id, spent in timer.totals.items():
                per_rule[rule_id] = min(per_rule.get(rule_id, spent), spent)
    errors = [f"{d.rule}: {d.message}" for d in result.diagnostics if d.severity.value == "error"]
    return {"lines": text.count("\n"), "load": load, "lint": lint, "per_rule": per_rule, "errors": errors}


def measure_apart(n: int, args) -> dict:
    """`measure` in `args.processes` fresh processes, keeping the least of each figure.

    On this VM a process now and then runs every lint (or every load) of a size some 40%
    slower than the next process does, the same code with the same hash seed: where its
    memory lands matters, and taking the best of more runs in that process cannot undo it."""
    if args.processes <= 1:
        return measure(n, args.style, args.runs, args.plain_gc)
    command = [sys.executable, os.path.abspath(__file__), "--measure", str(n), "--style", args.style,
               "--runs", str(args.runs)] + (["--plain-gc"] if args.plain_gc else [])
    found = [json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
             for _ in range(args.processes)]
    best = dict(found[0])
    for other in found[1:]:
        best["load"], best["lint"] = min(best["load"], other["load"]), min(best["lint"], other["lint"])
        best["per_rule"] = {rule: min(spent, other["per_rule"].get(rule, spent)) for rule, spent in best["per_rule"].items()}
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--style", choices=("depends", "dependencies"), default="depends")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=3, help="fresh processes per size (best of them)")
    parser.add_argument("--plain-gc", action="store_true",
                        help="time build_project + lint_project with the collector as it is, instead of the "
                        "CLI's load_and_lint (collector off while it loads and lints)")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # one size, as JSON (a child process)
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.style, args.runs, args.plain_gc)))
        return 0

    print(f"style: {args.style}; best of {args.runs} runs in each of {args.processes} processes; whole lint: "
          f"{'build_project + lint_project' if args.plain_gc else 'the CLI (load_and_lint)'}; "
          f"python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'tasks':>6} {'lines':>7} {'load s':>8} {'lint s':>8} {'ratio':>6} {'graph s':>8}  slowest rules (s)")
    worst = 0.0
    for n in (int(s) for s in args.sizes.split(",")):
        found = measure_apart(n, args)
        load, lint, per_rule = found["load"], found["lint"], found["per_rule"]
        slowest = sorted(per_rule.items(), key=lambda kv: -kv[1])[:4]
        ratio = lint / load
        worst = max(worst, ratio)
        shown = ", ".join(f"{rid} {t:.3f}" for rid, t in slowest)
        graph = sum(t for rid, t in per_rule.items() if rid in GRAPH_RULES)
        print(f"{n:>6} {found['lines']:>7} {load:>8.3f} {lint:>8.3f} {ratio:>6.2f} {graph:>8.3f}  {shown}")
        if found["errors"]:
            print(f"       note: {len(found['errors'])} error(s), first: {found['errors'][0]}")
    print(f"worst ratio {worst:.2f} (goal: at most 1.50)")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
