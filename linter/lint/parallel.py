"""`argolint --jobs N`: lint the files of one project in N processes.

The project is loaded once, in this process, which then lints its first files alone (so
that the lazily imported modules, the compiled schema and the parse caches are ready) and
forks N - 1 workers: each inherits every loaded file, the warm caches and the cross-file
index (WorkflowTemplates, RBAC, the call graph), lints its share of the remaining files
exactly as a serial run would, and sends back only its diagnostics, while this process
lints a share too. The diagnostics are put together in the files' order and sorted like a
serial run's, so the output is the same. Only where `fork` exists (Linux, the BSDs);
elsewhere, or when a worker fails, the files are linted here.
"""

from __future__ import annotations

import os

from argolint.diagnostics import Diagnostic

# More files than this and `--jobs` defaults to the number of CPUs: below it, starting the
# workers costs more than they save.
PARALLEL_FROM_FILES = 200

_SHARED: dict = {}  # what the forked workers inherit: the engine, the project, the shares


def default_jobs(files: int) -> int:
    return (os.cpu_count() or 1) if files > PARALLEL_FROM_FILES else 1


def can_fork() -> bool:
    import multiprocessing  # ~25 ms: only for a parallel run

    return "fork" in multiprocessing.get_all_start_methods()


def shares(files: list, parts: int) -> list[list]:
    """`files` cut into `parts` runs of consecutive files of about equal total size (the
    text), so that no process gets all the large ones."""
    weights = [len(f.source.text) or 1 for f in files]
    total = sum(weights)
    out: list[list] = [[] for _ in range(parts)]
    done = 0
    for f, weight in zip(files, weights):
        out[min(parts - 1, done * parts // total)].append(f)
        done += weight
    return [share for share in out if share]


def _lint_share(index: int) -> list:
    engine, project, parts = _SHARED["engine"], _SHARED["project"], _SHARED["shares"]
    return engine.lint(project, parts[index])


def lint_in_workers(engine, project, jobs: int) -> list:
    """The diagnostics of `engine.lint(project)`, computed by this process and `jobs - 1`
    forked workers."""
    files = project.files
    warm_up = files[:max(1, len(files) // (4 * jobs))]
    parts = shares(files[len(warm_up):], jobs)
    if len(parts) < 2 or not can_fork():
        return engine.lint(project)
    diagnostics = engine.lint(project, warm_up)
    import multiprocessing

    _SHARED.update(engine=engine, project=project, shares=parts)
    try:
        with multiprocessing.get_context("fork").Pool(len(parts) - 1) as pool:
            pending = pool.map_async(_lint_share, range(1, len(parts)), chunksize=1)
            diagnostics += engine.lint(project, parts[0])
            for result in pending.get():
                diagnostics += result
    except Exception:  # a worker died (memory, a signal): lint the rest here, as without --jobs
        diagnostics = engine.lint(project)
    finally:
        _SHARED.clear()
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics
