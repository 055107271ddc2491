"""Start-up cost of the `argolint` command: wall time and `python -X importtime`.

    python benchmarks/bench_startup.py [--runs N] [--top N] [FILE]

Measures `argolint --version` and `argolint FILE` (default: the seed hello-world workflow,
copied into an empty temporary folder so that no configuration file is found), each the
best of N runs, lists the modules that cost the most to import, and checks that nothing
is imported that the command does not need: the language server (pygls, lsprotocol), Hera,
the dry-run evaluator, reporters other than the one used, and for `--version` anything
beyond argparse. networkx, lark and jsonschema are reported (not failed) for the lint run:
a rule may need them for what the file contains. Exits 1 when a forbidden module is
imported.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL_FILE = os.path.join(HERE, "..", "fixtures", "seed", "hello-world-workflow.yaml")

NEVER = ("pygls", "lsprotocol", "hera", "argolint.evaluator", "argolint.lsp", "argolint.report.json",
         "argolint.report.sarif", "argolint.report.github")
VERSION_NEVER = NEVER + ("pydantic", "ruamel", "argolint.config", "argolint.rules", "argolint.engine",
                         "argolint.loader", "argolint.report", "tomllib", "tomli")
IF_NEEDED = ("networkx", "lark", "jsonschema", "croniter")

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def importtime(args: list[str], cwd: str) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) of every import `argolint ARGS` makes."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "argolint", *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if proc.returncode not in (0, 1):
        raise SystemExit(f"argolint {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    modules = []
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            modules.append((m.group(4), int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2))
    return modules


def wall_time(args: list[str], cwd: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "argolint", *args], cwd=cwd, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def _matches(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def report(title: str, args: list[str], cwd: str, never, runs: int, top: int) -> bool:
    modules = importtime(args, cwd)
    ours = [m for m in modules if m[0] != "site" and not m[0].startswith(("encodings", "_frozen", "zipimport"))]
    total = sum(m[1] for m in ours)
    print(f"\n== argolint {' '.join(args)}  ({title})")
    print(f"wall time, best of {runs}: {wall_time(args, cwd, runs) * 1000:.0f} ms; "
          f"{len(modules)} modules imported, {total / 1000:.0f} ms of imports after site")
    print(f"top {top} by cumulative import time (top-level imports):")
    roots = sorted((m for m in ours if m[3] == 0), key=lambda m: -m[2])[:top]
    for name, own, cumulative, _ in roots:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")
    third_party = sorted({m[0].split(".")[0] for m in modules} - set(sys.stdlib_module_names)
                         - {"argolint", "sitecustomize", "_distutils_hack"}
                         - {p for p in (m[0].split(".")[0] for m in modules) if p.startswith("_")})
    print("third-party packages:", ", ".join(third_party) or "none")
    forbidden = sorted({m[0] for m in modules if _matches(m[0], never)})
    optional = sorted({m[0].split(".")[0] for m in modules if _matches(m[0], IF_NEEDED)})
    if optional:
        print("imported because a rule needed them for this file:", ", ".join(optional))
    if forbidden:
        print("NOT NEEDED but imported:", ", ".join(forbidden))
    return not forbidden


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=SMALL_FILE)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(args.file, os.path.join(folder, os.path.basename(args.file)))
        name = os.path.basename(args.file)
        ok = report("nothing but the version", ["--version"], folder, VERSION_NEVER, args.runs, args.top)
        ok &= report("one small file, text output", [name], folder, NEVER, args.runs, args.top)
        ok &= report("one small file, json output", ["--format=json", name], folder,
                     tuple(n for n in NEVER if n != "argolint.report.json") + ("argolint.report.text",),
                     args.runs, args.top)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
