"""The whole-process lint of the upstream examples against composing the same files with
libyaml, in the same run (issue 19's targets: at most 2.0x ruamel.yaml's libyaml compose,
at most 4x PyYAML's C compose).

Each command is a fresh interpreter, run N times in turn with the others (so a busy spell
of the shared machine hits all of them alike), and its CPU time (user + system, from
`wait4`) is read; the best of the N is kept and the ratios are taken between bests:

  lint            argolint --format json FOLDER   (no configuration file: run from an empty folder)
  ruamel compose  read every *.yaml/*.yml/*.json file and compose every document with
                  ruamel.yaml backed by libyaml (`YAML(typ="safe", pure=False).compose_all`)
  pyyaml compose  the same with PyYAML's `yaml.compose_all(..., Loader=yaml.CSafeLoader)`
  python          `python -c pass`, the interpreter's own start (for reference)

`--callgrind` counts instructions instead (valgrind's callgrind, one run each: steady
where CPU times vary with the machine's load, but some 50x slower).

    .venv/bin/python benchmarks/bench_lint_ratio.py [--runs 9] [--callgrind] [--jobs N] [FOLDER]

Exits 1 when the lint is above 2.0x the ruamel compose or 4x the PyYAML compose.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "data", "argo-examples")

FILES = """
import os, sys
paths = sorted(os.path.join(d, n) for d, _, names in os.walk(sys.argv[1]) for n in names
               if n.endswith(('.yaml', '.yml', '.json')))
"""
RUAMEL = FILES + """
from ruamel.yaml import YAML
yaml = YAML(typ='safe', pure=False)
for path in paths:
    with open(path, 'rb') as fh:
        for _ in yaml.compose_all(fh.read()):
            pass
"""
PYYAML = FILES + """
import yaml
for path in paths:
    with open(path, 'rb') as fh:
        for _ in yaml.compose_all(fh.read(), Loader=yaml.CSafeLoader):
            pass
"""


def commands(folder: str, jobs) -> dict:
    lint = [sys.executable, "-m", "argolint", "--format", "json", folder]
    if jobs is not None:
        lint.insert(3, f"--jobs={jobs}")
    return {
        "lint": lint,
        "ruamel compose": [sys.executable, "-c", RUAMEL, folder],
        "pyyaml compose": [sys.executable, "-c", PYYAML, folder],
        "python": [sys.executable, "-c", "pass"],
    }


def cpu_seconds(command: list, cwd: str) -> float:
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def instructions(command: list, cwd: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", *command], cwd=cwd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=CORPUS)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--jobs", help="pass --jobs to the lint")
    args = parser.parse_args()
    folder = os.path.abspath(args.folder)
    with tempfile.TemporaryDirectory() as empty:  # no configuration file above the working directory
        todo = commands(folder, args.jobs)
        if args.callgrind:
            best = {name: float(instructions(command, empty)) for name, command in todo.items()}
            unit = "M instructions"
            shown = {name: value / 1e6 for name, value in best.items()}
        else:
            best = {name: float("inf") for name in todo}
            for _ in range(args.runs):
                for name, command in todo.items():
                    best[name] = min(best[name], cpu_seconds(command, empty))
            unit = "ms CPU, best of %d" % args.runs
            shown = {name: value * 1000 for name, value in best.items()}
    for name, value in shown.items():
        print(f"{name:<16} {value:>10.1f} {unit}")
    ruamel = best["lint"] / best["ruamel compose"]
    pyyaml = best["lint"] / best["pyyaml compose"]
    print(f"lint / ruamel compose: {ruamel:.2f} (target 2.0)")
    print(f"lint / pyyaml compose: {pyyaml:.2f} (target 4.0)")
    return 0 if ruamel <= 2.0 and pyyaml <= 4.0 else 1


if __name__ == "__main__":
    sys.exit(main())
