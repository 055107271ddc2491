"""Schema validation of the upstream examples against loading them.

    python benchmarks/bench_schema.py [DIR] [--repeat N]

Loads every file under DIR (default: the 217 upstream examples) with argolint's loader,
then validates every Argo document against the schema, as the four schema rules do.
Reports, best of N runs: loading the files and validating them (warm: the libraries
imported and the schema compiled, as in a long-running language server or from the second
file of a run on), and, measured in fresh processes, the one-time costs on each side:
importing ruamel.yaml for loading; importing jsonschema and loading and compiling the
schema for validation. The acceptance target is validation taking less time than loading;
the script exits 1 when it does not.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.join(HERE, "..", "tests", "data", "argo-examples")


def load(paths):
    from argolint.load.loader import read_file

    return [read_file(p) for p in paths]


def documents(files):
    return [d for f in files for d in f.documents if d.data is not None and d.is_argo]


def validate(docs):
    from argolint.schema import messages

    return sum(len(v) for d in docs for v in messages.findings(d.kind, d.data).values())


SCHEMA_SETUP = ("from argolint.schema import validator as v; "
                "[v.validator_for(k) for k in v.load_schema()['x-kinds']]")
LOADER_SETUP = "from ruamel.yaml import YAML; YAML(typ='safe', pure=False)"


def first_use_cost(statement: str) -> float:
    """Seconds `statement` takes in a fresh process (after argolint's own light imports)."""
    code = (f"import time, argolint.diagnostics; t = time.perf_counter(); {statement}; "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def best_of(n, fn, *args):
    best, result = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(args.directory)
                   for name in names if name.endswith((".yaml", ".yml", ".json")))
    schema_setup = min(first_use_cost(SCHEMA_SETUP) for _ in range(3))
    loader_setup = min(first_use_cost(LOADER_SETUP) for _ in range(3))
    load_time, files = best_of(args.repeat, load, paths)
    docs = documents(files)
    validate(docs[:1])  # compile the validators outside the timing
    validate_time, problems = best_of(args.repeat, validate, docs)
    print(f"files: {len(paths)}, Argo documents: {len(docs)}, schema findings: {problems}")
    print(f"load (libyaml composer + spans):        {load_time * 1000:7.1f} ms")
    print(f"schema validation:                      {validate_time * 1000:7.1f} ms"
          f"  ({validate_time / load_time:.0%} of loading, {validate_time / len(docs) * 1e6:.0f} us/document)")
    print(f"once per process, loading:    import ruamel.yaml                        {loader_setup * 1000:6.1f} ms")
    print(f"once per process, validation: import jsonschema, load + compile schema  {schema_setup * 1000:6.1f} ms")
    return 0 if validate_time < load_time else 1


if __name__ == "__main__":
    sys.exit(main())
