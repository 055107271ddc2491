"""Start-up cost of the `argolint` command: wall time and `python -X importtime`.

    python benchmarks/bench_startup.py [--runs N] [--top N] [FILE]

Measures `argolint --version` and `argolint FILE` (default: the seed hello-world workflow,
copied into an empty temporary folder so that no configuration file is found), each the
best of N runs, lists the modules that cost the most to import, and checks that nothing
is imported that the command does not need: the language server (pygls, lsprotocol), Hera,
the dry-run evaluator, reporters other than the one used, and for `--version` anything
beyond argparse, and pydantic for a lint without a configuration file. networkx, lark and
jsonschema are reported (not failed) for the lint run: a rule may need them for what the
file contains. Only modules that were actually imported count: `-X importtime` also lists
imports that failed (optional dependencies a library tries), so its list is filtered by
the `sys.modules` of the run at exit. Exits 1 when a forbidden module is imported.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL_FILE = os.path.join(HERE, "..", "fixtures", "seed", "hello-world-workflow.yaml")

NEVER = ("pygls", "lsprotocol", "hera", "argolint.evaluator", "argolint.lsp.server", "argolint.report.json",
         "argolint.report.sarif", "argolint.report.github", "pydantic")
# `argolint.report` itself (its FORMATS build the parser) is allowed; its reporters are not
VERSION_NEVER = NEVER + ("ruamel", "argolint.config", "argolint.rules", "argolint.lint.engine",
                         "argolint.load.loader", "argolint.report.text", "argolint.report.result", "tomllib",
                         "tomli")
IF_NEEDED = ("networkx", "lark", "jsonschema", "croniter")

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


# Runs what `python -m argolint ARGS` runs (`argolint.__main__` imports `argolint.cli.main`
# and calls its `run`, which ends with `os._exit` and so runs no atexit handler) and, when
# `main` returns, writes the names in sys.modules to a file.
_WITH_MODULES = ("import sys\n"
                 "out, sys.argv = sys.argv[1], ['argolint', *sys.argv[2:]]\n"
                 "from argolint.cli.main import main\n"
                 "try:\n"
                 "    code = main()\n"
                 "finally:\n"
                 "    open(out, 'w').write('\\n'.join(sys.modules))\n"
                 "sys.exit(code)\n")


def importtime(args: list[str], cwd: str, runs: int) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) of every import `argolint ARGS` makes and that
    succeeded; each time is the smallest of `runs` runs."""
    best: dict = {}
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".modules") as listing:
            proc = subprocess.run([sys.executable, "-X", "importtime", "-c", _WITH_MODULES, listing.name, *args],
                                  cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
            imported = set(listing.read().split())
        if proc.returncode not in (0, 1):
            raise SystemExit(f"argolint {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
        for line in proc.stderr.splitlines():
            m = _LINE.match(line)
            if m and m.group(4) in imported:
                name, own, cumulative, depth = m.group(4), int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2
                seen = best.get(name)
                best[name] = (name, own, cumulative, depth) if seen is None else \
                    (name, min(own, seen[1]), min(cumulative, seen[2]), depth)
    return list(best.values())


def timings(args: list[str], cwd: str, runs: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of `argolint ARGS`, in seconds. On a
    shared machine the CPU time is the steadier figure."""
    best_wall = best_cpu = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "argolint", *args], cwd=cwd, capture_output=True)
        best_wall = min(best_wall, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best_wall, best_cpu


# Modules that only a dependency imports are counted with it.
_DEPENDENCIES = {
    "pydantic": ("pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection"),
    "jsonschema": ("jsonschema", "jsonschema_specifications", "referencing", "rpds", "attr", "attrs", "idna",
                   "fqdn", "isoduration", "jsonpointer", "rfc3339_validator", "rfc3986_validator", "rfc3987",
                   "rfc3987_syntax", "uri_template", "webcolors"),
    "ruamel.yaml": ("ruamel", "_ruamel_yaml"),
}


def _owner(module: str) -> str:
    """Who a module's import time is charged to: a dependency, an argolint subpackage, or the
    standard library."""
    top = module.split(".")[0]
    for owner, packages in _DEPENDENCIES.items():
        if top in packages:
            return owner
    if top == "argolint":
        parts = module.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 else "argolint"
    return "standard library and others"


def _matches(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def report(title: str, args: list[str], cwd: str, never, runs: int, top: int) -> bool:
    modules = importtime(args, cwd, max(1, runs // 2))
    ours = [m for m in modules if m[0] != "site" and not m[0].startswith(("encodings", "_frozen", "zipimport"))]
    total = sum(m[1] for m in ours)
    print(f"\n== argolint {' '.join(args)}  ({title})")
    wall, cpu = timings(args, cwd, runs)
    print(f"best of {runs}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU; "
          f"{len(modules)} modules imported, {total / 1000:.0f} ms of imports after site "
          "(summed self times, each the best of several runs)")
    print(f"top {top} by cumulative import time (top-level imports):")
    roots = sorted((m for m in ours if m[3] == 0), key=lambda m: -m[2])[:top]
    for name, own, cumulative, _ in roots:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")
    by_owner: dict = {}
    for name, own, _, _ in ours:
        by_owner[_owner(name)] = by_owner.get(_owner(name), 0) + own
    print("import time by owner (self times summed):")
    for owner, own in sorted(by_owner.items(), key=lambda item: -item[1])[:top]:
        print(f"  {own / 1000:7.1f} ms  {owner}")
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
