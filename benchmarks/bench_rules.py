"""What the templating rules cost: tags, expressions, scopes and arguments, against loading.

Part 1 (corpus): loads the 217 upstream examples and lints them with only the rules of the
templating issue (expression-syntax, unknown-variable, unknown-output, reference-order,
item-outside-loop, missing-argument, unknown-argument), then with every registered rule.
The first run is cold (grammars built, parse caches empty); the others are warm. Last, the
first lint with every rule in a fresh interpreter (imports included).

Part 2 (scale): a steps template and a DAG of N steps / tasks, each passing one argument
with a `{{steps|tasks.X.outputs...}}` tag, a `when`, and a `{{= }}` expression; the
templating rules' time per size shows whether per-tag work is O(1).

    .venv/bin/python benchmarks/bench_rules.py [--corpus DIR] [--sizes 1000,2000,4000,8000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile
import time

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "argo-examples")
TEMPLATING_RULES = ("expression-syntax", "unknown-variable", "unknown-output", "reference-order",
                    "item-outside-loop", "missing-argument", "unknown-argument")


def _engine(rule_ids=None):
    from argolint.config import Config
    from argolint.lint.engine import Engine
    from argolint.rules import RULES

    config = Config()
    rules = [r() for r in RULES if r.reported_by is None and (rule_ids is None or r.id in rule_ids)]
    return Engine(rules, config)


def _load(paths):
    from argolint.load.loader import read_file
    from argolint.analysis.project import Project

    project = Project()
    for path in paths:
        project.add(read_file(path))
    return project


def _best(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), times, result


def corpus(directory: str, repeat: int) -> None:
    paths = sorted(glob.glob(os.path.join(directory, "**", "*.yaml"), recursive=True))
    load, _, project = _best(lambda: _load(paths), repeat)
    templating = _engine(TEMPLATING_RULES)
    everything = _engine()
    start = time.process_time()
    templating.lint(project)
    cold = time.process_time() - start
    warm, _, diagnostics = _best(lambda: templating.lint(project), repeat)
    every, _, _ = _best(lambda: everything.lint(project), repeat)
    docs = sum(1 for f in project.files for d in f.documents if d.is_argo)
    print(f"corpus: {len(paths)} files, {docs} Argo documents")
    print(f"  load                         {load * 1000:7.0f} ms")
    print(f"  templating rules, cold       {cold * 1000:7.0f} ms  ({cold / load:.2f}x load)")
    print(f"  templating rules, warm       {warm * 1000:7.0f} ms  ({warm / load:.2f}x load)")
    print(f"  every registered rule, warm  {every * 1000:7.0f} ms  ({every / load:.2f}x load)")
    first_load, first_lint = _first_run(directory)
    print(f"  every registered rule, first run of a process  {first_lint * 1000:.0f} ms "
          f"({first_lint / first_load:.2f}x that process's load, {first_load * 1000:.0f} ms)")
    print(f"  templating diagnostics: {sum(1 for d in diagnostics if d.rule in TEMPLATING_RULES)}")


_FIRST_RUN = """
import glob, os, sys, time
from argolint.config import Config
from argolint.lint.engine import Engine
from argolint.load.loader import read_file
from argolint.analysis.project import Project
from argolint.rules import RULES
paths = sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.yaml"), recursive=True))
start = time.process_time()
project = Project()
for path in paths:
    project.add(read_file(path))
loaded = time.process_time()
Engine([r() for r in RULES if r.reported_by is None], Config()).lint(project)
print(loaded - start, time.process_time() - loaded)
"""


def _first_run(directory: str) -> tuple[float, float]:
    """(load, lint) in a fresh interpreter, every rule: the lint pays what a process pays
    once (importing jsonschema and lark, loading the schema and the grammars), as the CLI
    and a pre-commit hook do on every run."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", _FIRST_RUN, directory], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1])


HEADER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: big-
spec:
  entrypoint: dag
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
    outputs:
      parameters:
      - name: out
        valueFrom: {path: /tmp/out}
"""


def generate(n: int) -> str:
    """A DAG of n tasks (task i depends on i-1 and i-2 and reads both) and a steps template
    of n steps (one per group, reading the step two groups up)."""
    out = [HEADER, "  - name: dag\n    dag:\n      tasks:\n"]
    for i in range(n):
        out.append(f"      - name: t{i}\n        template: work\n")
        if i:
            deps = " && ".join(f"t{d}" for d in range(max(0, i - 2), i))
            out.append(f'        depends: "{deps}"\n')
            out.append(f'        when: "{{{{tasks.t{i - 1}.outputs.result}}}} != stop"\n')
            out.append("        arguments:\n          parameters:\n          - name: msg\n")
            out.append(f'            value: "{{{{tasks.t{i - 1}.outputs.parameters.out}}}} '
                       f'{{{{=asInt(tasks.t{max(0, i - 2)}.outputs.result) + {i}}}}}"\n')
        else:
            out.append("        arguments:\n          parameters:\n          - {name: msg, value: start}\n")
    out.append("  - name: steps\n    steps:\n")
    for i in range(n):
        out.append(f"    - - name: s{i}\n        template: work\n")
        out.append("        arguments:\n          parameters:\n          - name: msg\n")
        ref = f"{{{{steps.s{i - 2}.outputs.parameters.out}}}}" if i >= 2 else "start"
        out.append(f'            value: "{ref}"\n')
    return "".join(out)


def scale(sizes, repeat: int) -> None:
    engine = _engine(TEMPLATING_RULES)
    print("scale: DAG of N tasks + steps template of N steps, every one with tags")
    print(f"  {'N':>6} {'load ms':>9} {'rules ms':>9} {'rules/load':>10} {'us per call':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, f"big-{n}.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(n))
            load, _, project = _best(lambda: _load([path]), repeat)
            rules, _, diagnostics = _best(lambda: engine.lint(project), repeat)
            assert not diagnostics, [d.message for d in diagnostics[:3]]
            print(f"  {n:>6} {load * 1000:9.0f} {rules * 1000:9.0f} {rules / load:10.2f} {rules * 1e6 / (2 * n):11.1f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=CORPUS)
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if os.path.isdir(args.corpus):
        corpus(args.corpus, args.repeat)
    scale([int(s) for s in args.sizes.split(",")], max(1, args.repeat // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
