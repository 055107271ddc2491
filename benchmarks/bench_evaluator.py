"""How fast the dry run simulates large DAGs, and whether it stays linear in the tasks.

Generates Workflows whose DAG has N tasks, each passing one argument with a
`{{tasks.X.outputs.result}}` tag of a dependency (so results are captured, inferred from the
pod's `echo` and substituted; every result is "start", so the strings keep their size and the
work per task does not grow with the depth), in three shapes:

  random   task i depends on two of the 50 tasks before it (about N/12 ticks deep)
  wide     no dependencies: every task starts at tick 0
  chain    task i depends on task i-1: N ticks, N reconcile rounds

and measures, best of the runs, loading the file and simulating it (`evaluate`), in CPU
time, plus the whole `argolint dry-run --format json` command in a subprocess (wall time,
interpreter start included, with the default `--max-nodes`). Each size is simulated in a
fresh process (so one size's heap does not slow the next) with the node limit raised
above the size, and reports the process's peak memory.

For each shape it fits the exponent k of time ~ tasks^k over the series (least squares on
the logarithms) and exits 1 when a k exceeds 1.2: the dry run must be linear. At the
largest size of the random shape (32,000 tasks by default) it reports the simulation's CPU
time and the process's peak memory against issue 19's goals (3 s, 400 MiB; a report, not
an exit status: timings depend on the machine's load).

    .venv/bin/python benchmarks/bench_evaluator.py [--sizes 1000,2000,4000,8000,16000,32000]
        [--shapes random,wide,chain] [--runs 3] [--no-command]
"""

from __future__ import annotations

import argparse
import json
import math
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
        # the dependency's result as it is: the pod echoes its input, so every result is
        # inferred as "start" and stays that size (a prefix would grow it with the depth,
        # and the output, not the simulation, would grow as tasks^2)
        value = f"{{{{tasks.t{deps[0]}.outputs.result}}}}" if deps else "start"
        lines += ["        arguments:", "          parameters:", "          - name: msg", f"            value: \"{value}\""]
        out.append("\n".join(lines) + "\n")
    return "".join(out)


def measure(path: str, runs: int) -> tuple[float, float, object]:
    """Best load and simulation CPU times over `runs`, in this process, with the
    collector paused as `argolint dry-run` pauses it (as it is, for code from before
    `cli.collector`, to compare with)."""
    from argolint.analysis.project import Project
    try:
        from argolint.cli.collector import collector_paused
    except ImportError:
        from contextlib import nullcontext as collector_paused
    from argolint.evaluator.api import evaluate, select
    from argolint.evaluator.core import Limits
    from argolint.load.loader import read_file

    best_load = best_run = float("inf")
    result = None
    for _ in range(runs):
        result = None
        with collector_paused():
            start = time.process_time()
            project = Project()
            project.add(read_file(path))
            loaded = time.process_time()
            # no wall-clock bound: on a busy machine the 32k run can pass the default 60 s
            # and stop early, which would time a part of the run
            result = evaluate(project, select(project),
                              limits=Limits(max_nodes=10 * size_of(path) + 100, timeout=None))
            done = time.process_time()
        best_load = min(best_load, loaded - start)
        best_run = min(best_run, done - loaded)
    return best_load, best_run, result


def size_of(path: str) -> int:
    return int(os.path.basename(path).split("-")[1])


def measure_in_child(path: str, runs: int) -> dict:
    """`measure` in a fresh interpreter: times, ticks, phase and peak memory (MiB)."""
    out = subprocess.run([sys.executable, __file__, "--child", path, "--runs", str(runs)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def child(path: str, runs: int) -> None:
    import resource

    load, run, result = measure(path, runs)
    ticks = max((node.finished_at or 0) for node in result.nodes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"load": load, "run": run, "ticks": ticks, "phase": result.phase, "peak_mib": peak}))


def command(path: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "argolint", "dry-run", path, "--format", "json"], check=False,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def fitted_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Slope of log(seconds) against log(sizes), least squares."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(s, 1e-6)) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,4000,8000,16000,32000")
    parser.add_argument("--shapes", default="random,wide,chain")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-command", action="store_true", help="skip the whole `argolint dry-run` command")
    parser.add_argument("--max-exponent", type=float, default=1.2)
    parser.add_argument("--goal-seconds", type=float, default=3.0, help="goal for the largest random DAG")
    parser.add_argument("--goal-mib", type=float, default=400.0, help="goal for the largest random DAG")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'tasks':>6} {'shape':>7} {'ticks':>6} {'load ms':>8} {'dry run ms':>11} {'peak MiB':>9} "
          f"{'command ms':>11}  phase")
    too_steep = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            runs, largest = [], None
            for n in sizes:
                path = os.path.join(tmp, f"dag-{n}-{shape}.yaml")
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(generate(n, shape))
                m = measure_in_child(path, args.runs)
                runs.append(m["run"])
                largest = (n, m)
                whole = "-" if args.no_command else f"{command(path) * 1000:.0f}"
                print(f"{n:>6} {shape:>7} {m['ticks']:>6} {m['load'] * 1000:>8.0f} {m['run'] * 1000:>11.0f} "
                      f"{m['peak_mib']:>9.0f} {whole:>11}  {m['phase']}", flush=True)
            if shape == "random" and largest is not None:
                n, m = largest
                verdict = "met" if m["run"] <= args.goal_seconds and m["peak_mib"] <= args.goal_mib else "NOT met"
                print(f"{'':>6} {shape:>7} goal at {n} tasks: dry run {m['run']:.2f} s CPU (goal "
                      f"{args.goal_seconds:g}), peak {m['peak_mib']:.0f} MiB (goal {args.goal_mib:g}): {verdict}",
                      flush=True)
            if len(sizes) > 1:
                k = fitted_exponent(sizes, runs)
                print(f"{'':>6} {shape:>7} fitted exponent of the dry run: {k:.2f}", flush=True)
                if k > args.max_exponent:
                    too_steep.append(f"{shape} ({k:.2f})")
    if too_steep:
        print(f"FAIL: the dry run grows faster than tasks^{args.max_exponent}: {', '.join(too_steep)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
