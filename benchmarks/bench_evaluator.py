"""How fast the dry run simulates large DAGs (the acceptance target: 1,000 tasks in under 1 s).

Generates Workflows whose DAG has N tasks, each passing one argument with a
`{{tasks.X.outputs.result}}` tag of a dependency (so results are captured and substituted),
in three shapes:

  random   task i depends on two of the 50 tasks before it (about 80 ticks deep)
  wide     no dependencies: every task starts at tick 0
  chain    task i depends on task i-1: N ticks, N reconcile rounds

and measures, best of the runs, loading the file and simulating it (`evaluate`), in CPU
time, plus the whole `argolint dry-run --format json` command in a subprocess (wall time,
interpreter start included).

    .venv/bin/python benchmarks/bench_evaluator.py [--sizes 1000,2000] [--shapes random,wide,chain]
        [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

HEADER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: big-dag-
spec:
  entrypoint: main
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


def generate(n: int, shape: str, seed: int = 4) -> str:
    rng = random.Random(seed)
    out = [HEADER]
    for i in range(n):
        if shape == "wide" or i == 0:
            deps = []
        elif shape == "chain":
            deps = [i - 1]
        else:
            deps = sorted(rng.sample(range(max(0, i - 50), i), min(i, 2)))
        lines = [f"      - name: t{i}", "        template: work"]
        if deps:
            lines.append(f"        depends: \"{' && '.join(f't{d}' for d in deps)}\"")
        value = f"from {{{{tasks.t{deps[0]}.outputs.result}}}}" if deps else "start"
        lines += ["        arguments:", "          parameters:", "          - name: msg", f"            value: \"{value}\""]
        out.append("\n".join(lines) + "\n")
    return "".join(out)


def measure(path: str, runs: int) -> tuple[float, float, object]:
    from argolint.evaluator.api import evaluate, select
    from argolint.load.loader import read_file
    from argolint.analysis.project import Project

    best_load = best_run = float("inf")
    result = None
    for _ in range(runs):
        start = time.process_time()
        project = Project()
        project.add(read_file(path))
        loaded = time.process_time()
        result = evaluate(project, select(project))
        done = time.process_time()
        best_load = min(best_load, loaded - start)
        best_run = min(best_run, done - loaded)
    return best_load, best_run, result


def command(path: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "argolint", "dry-run", path, "--format", "json"], check=False,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000")
    parser.add_argument("--shapes", default="random,wide,chain")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'tasks':>6} {'shape':>7} {'ticks':>6} {'load ms':>8} {'dry run ms':>11} {'command ms':>11}  phase")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            for shape in args.shapes.split(","):
                path = os.path.join(tmp, f"dag-{n}-{shape}.yaml")
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(generate(n, shape))
                load, run, result = measure(path, args.runs)
                ticks = max((node.finished_at or 0) for node in result.nodes)
                print(f"{n:>6} {shape:>7} {ticks:>6} {load * 1000:>8.0f} {run * 1000:>11.0f} "
                      f"{command(path) * 1000:>11.0f}  {result.phase}")


if __name__ == "__main__":
    main()
