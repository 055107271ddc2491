"""`argolint --fix`, `--diff` and `--add-ignore`: lint, apply the diagnostics' edits to the
files' bytes, lint again, and repeat until nothing changes (at most MAX_PASSES times).

Edits are applied in memory first; `--fix` then writes the files that changed (the text
of stdin goes to stdout, the report to stderr), `--diff` prints what would change."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass, field

MAX_PASSES = 10


@dataclass
class FixRun:
    """What the fix loop did: the lint of the final texts, and the bytes of every file an
    edit changed, before and after."""

    result: object = None  # LintResult
    stdin_data: bytes | None = None
    before: dict = field(default_factory=dict)  # reported path -> original bytes
    after: dict = field(default_factory=dict)  # reported path -> fixed bytes
    fixed: int = 0  # edits applied over all passes
    applied: list = field(default_factory=list)  # the diagnostics whose edit was applied, all passes

    @property
    def changed(self) -> list:
        return [path for path in self.after if self.after[path] != self.before[path]]


class _Sources:
    """The bytes of the files being linted: read from disk when first needed, stdin's
    captured before loading (the loader would consume it)."""

    def __init__(self, stdin_name: str, stdin_data):
        self.stdin_name = stdin_name
        self.stdin_data = stdin_data

    def read(self, path: str) -> bytes:
        if self.stdin_data is not None and path == self.stdin_name:
            return self.stdin_data
        with open(path, "rb") as fh:
            return fh.read()


def _capture_stdin(paths) -> bytes | None:
    """Read stdin now, and leave a copy for the loader."""
    if "-" not in paths:
        return None
    data = sys.stdin.buffer.read()
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    return data


def _relinked(project, changed: dict, config):
    """A project like `project` with the files of `changed` (path -> bytes) loaded again."""
    from argolint.analysis.project import Project
    from argolint.load.loader import LimitOptions, load_bytes

    limits = LimitOptions(max_file_bytes=config.max_file_size * 1024 * 1024)
    fresh = Project()
    for loaded in project.files:
        fresh.add(load_bytes(changed[loaded.path], loaded.path, limits) if loaded.path in changed else loaded)
    for loaded in project.indexed_files:
        fresh.add(loaded, reported=False)
    return fresh


def run_fixes(paths, config, template_paths, stdin_name, unsafe: bool, passes: int = MAX_PASSES) -> FixRun:
    """Fix, lint again and repeat until a pass changes nothing or `passes` passes ran."""
    from argolint.lint.fix import apply_edits, chosen_edit, edits_by_file
    from argolint.lint.runner import build_project, lint_project

    sources = _Sources(stdin_name, _capture_stdin(paths))
    run = FixRun(stdin_data=sources.stdin_data)
    project = build_project(paths, config, template_paths, stdin_name)
    run.result = lint_project(project, config)
    for _ in range(passes):
        reported = {loaded.path for loaded in project.files}
        fixing = {}
        for d in run.result.diagnostics:
            fixing.setdefault((d.file, chosen_edit(d, unsafe)), d)
        changed = {}
        for path, edits in edits_by_file(run.result.diagnostics, unsafe).items():
            if path not in reported:
                continue
            if path not in run.before:
                run.before[path] = sources.read(path)
            current = run.after.get(path, run.before[path])
            fixed, applied = apply_edits(current, edits)
            if fixed != current:
                changed[path] = run.after[path] = fixed
                run.fixed += len(applied)
                run.applied.extend(fixing[path, edit] for edit in applied)
        if not changed:
            break
        project = _relinked(project, changed, config)
        run.result = lint_project(project, config)
    return run


def _unified_diff(path: str, before: bytes, after: bytes) -> str:
    import difflib

    from argolint.lint.fix import OriginalText

    old, new = OriginalText(before).text, OriginalText(after).text
    relative = not os.path.isabs(path)
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{path}" if relative else path, f"b/{path}" if relative else path))


def _write(path: str, data: bytes) -> bool:
    """Write a fixed file in place (its permissions stay); False, said on stderr, when it cannot be."""
    try:
        with open(path, "r+b") as fh:
            fh.write(data)
            fh.truncate()
        return True
    except OSError as exc:
        print(f"argolint: error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False


def _plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def fix_main(args, config, render_report) -> int:
    """`--fix` / `--unsafe-fixes` / `--fix-only` / `--diff`. `render_report(result, stream)`
    prints what is left in the chosen format."""
    from argolint.lint.fix import chosen_edit
    from argolint.lint.runner import exit_code

    run = run_fixes(args.paths or ["."], config, args.template_path, args.stdin_filename, args.unsafe_fixes)
    if args.diff:
        for path in run.changed:
            sys.stdout.write(_unified_diff(path, run.before[path], run.after[path]))
        print(f"argolint: {_plural(run.fixed, 'fix', 'fixes')} would change {_plural(len(run.changed), 'file')}",
              file=sys.stderr)
        return 1 if run.changed else 0
    unwritten = [path for path in run.changed if (run.stdin_data is None or path != args.stdin_filename)
                 and not _write(path, run.after[path])]
    wrote_stdout = run.stdin_data is not None
    if wrote_stdout:  # stdin in, fixed or not, goes out; the report goes to stderr
        sys.stdout.flush()
        sys.stdout.buffer.write(run.after.get(args.stdin_filename, run.stdin_data))
        sys.stdout.flush()
    remaining = run.result.diagnostics
    if not args.fix_only:
        render_report(run.result, sys.stderr if wrote_stdout else sys.stdout)
    message = f"argolint: fixed {_plural(run.fixed, 'problem')} in {_plural(len(run.changed), 'file')}"
    if not args.unsafe_fixes:
        more = sum(1 for d in remaining if chosen_edit(d, unsafe=True) is not None)
        if more:
            message += f"; {more} more can be fixed with --unsafe-fixes"
    print(message, file=sys.stderr)
    code = exit_code(remaining, config.strict)
    if unwritten:
        return 2
    return 3 if code == 3 else 0 if args.fix_only else code


def add_ignore_main(args, config) -> int:
    """`--add-ignore`: a `# argolint: ignore[...]` comment for every diagnostic reported."""
    from argolint.lint.fix import apply_edits
    from argolint.lint.ignore import ignore_edits
    from argolint.lint.runner import build_project, lint_project

    sources = _Sources(args.stdin_filename, _capture_stdin(args.paths or ["."]))
    project = build_project(args.paths or ["."], config, args.template_path, args.stdin_filename)
    result = lint_project(project, config)
    added = files = 0
    for loaded in project.files:
        diagnostics = [d for d in result.diagnostics if d.file == loaded.path]
        edits = ignore_edits(loaded, diagnostics)
        if not edits:
            continue
        before = sources.read(loaded.path)
        after, applied = apply_edits(before, edits)
        if after == before:
            continue
        added += len(applied)
        files += 1
        if sources.stdin_data is not None and loaded.path == args.stdin_filename:
            sys.stdout.buffer.write(after)
            sys.stdout.flush()
        elif not _write(loaded.path, after):
            return 2
    print(f"argolint: added {_plural(added, 'suppression comment')} in {_plural(files, 'file')}", file=sys.stderr)
    return 0
