"""Bad input never gives a traceback: each kind gives its diagnostic (or nothing), ends in
bounded time and memory, exits with a code other than 3, and a good file given on the same
command line is still linted. Run through the real command (a subprocess), so a crash of
the interpreter itself (libyaml's recursion on deep input) would show."""

from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc

import pytest
from helpers import run_cli

from argolint.load.loader import load_bytes, read_file

GOOD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: good-
spec:
  entrypoint: mian
  serviceAccountName: argo-workflow
  templates:
  - name: main
    container:
      image: alpine:3.20
"""
GOOD_DIAGNOSTIC = ("unknown-template", 6, 15)


def lint_beside_good_file(tmp_path, *paths, stdin: bytes | None = None) -> tuple[dict, float]:
    """Lint `paths` and a good file in one command: the JSON report and the seconds taken.
    Checks what must hold for every bad input."""
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    started = time.monotonic()
    code, out, err = run_cli("--format", "json", *paths, good, stdin=stdin, cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert "Traceback" not in err and "internal-error" not in out, err
    assert code == 1, (code, err)  # the good file's error; not 3, not killed by a signal
    report = json.loads(out)
    assert GOOD_DIAGNOSTIC in [(d["rule"], d["line"], d["column"]) for d in report["diagnostics"]
                               if d["file"] == str(good)]
    return report, elapsed


def found(report: dict, path) -> list[tuple]:
    return [(d["rule"], d["line"], d["column"], d["message"]) for d in report["diagnostics"] if d["file"] == str(path)]


def test_non_utf8_file(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("kind: Workflow\nmetadata:\n  name: café\n".encode("latin-1"))
    report, _ = lint_beside_good_file(tmp_path, bad)
    assert found(report, bad) == [("unreadable-file", 3, 12, "not UTF-8 text: byte 0xe9 on line 3 cannot be "
                                   "decoded; not linted")]


def test_binary_file(tmp_path):
    bad = tmp_path / "image.yaml"
    bad.write_bytes(bytes(range(256)) * 4)
    report, _ = lint_beside_good_file(tmp_path, bad)
    assert found(report, bad) == [("unreadable-file", 1, 1, "binary file (NUL byte on line 1); not linted")]


def test_file_without_read_permission(tmp_path):
    bad = tmp_path / "secret.yaml"
    bad.write_text(GOOD, encoding="utf-8")
    bad.chmod(0)
    if os.access(bad, os.R_OK):
        pytest.skip("running as a user who can read a file with mode 000 (root)")
    report, _ = lint_beside_good_file(tmp_path, bad)
    assert found(report, bad) == [("unreadable-file", 1, 1, "cannot read file: Permission denied")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_file_that_fails_while_being_read(tmp_path):
    # readable for anyone, root included, but reading it fails (EIO)
    bad = tmp_path / "mem.yaml"
    bad.symlink_to("/proc/self/mem")
    report, _ = lint_beside_good_file(tmp_path, bad)
    assert found(report, bad) == [("unreadable-file", 1, 1, "cannot read file: Input/output error")]


def test_directory_with_an_unreadable_subdirectory(tmp_path):
    folder = tmp_path / "manifests"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "hidden.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "visible.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "locked").chmod(0)
    try:
        if os.access(folder / "locked", os.R_OK):
            pytest.skip("running as a user who can list a directory with mode 000 (root)")
        report, _ = lint_beside_good_file(tmp_path, folder)
    finally:
        (folder / "locked").chmod(0o755)
    assert found(report, folder / "locked") == [("unreadable-file", 1, 1, "cannot read directory: Permission denied")]
    assert [f[0] for f in found(report, folder / "visible.yaml")] == ["unknown-template"]


def test_empty_and_comment_only_files_give_nothing(tmp_path):
    contents = [b"", b"\n\n", b"# just a comment\n\n# and another\n", b"---\n...\n"]
    paths = [tmp_path / f"empty-{i}.yaml" for i in range(len(contents))]
    for path, content in zip(paths, contents):
        path.write_bytes(content)
    report, _ = lint_beside_good_file(tmp_path, *paths)
    assert [found(report, path) for path in paths] == [[]] * len(paths)
    assert report["files"] == len(paths) + 1


def billion_laughs(levels: int = 10) -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_alias_bomb(tmp_path):
    bad = tmp_path / "lol.yaml"
    bad.write_bytes(billion_laughs())
    report, elapsed = lint_beside_good_file(tmp_path, bad)
    # an alias of a0 is 11 nodes, of a1 111, of a2 1111, of a3 11111: lines 2 to 4 expand 12,330
    # nodes, and the 8th alias on line 5 brings that past 100,000
    assert found(report, bad) == [("input-too-large", 5, 38, "aliases expand this document beyond 100,000 nodes "
                                   "(an alias bomb?); not linted")]
    assert elapsed < 30


def test_alias_bomb_is_refused_in_bounded_time_and_memory():
    tracemalloc.start()
    started = time.process_time()
    result = load_bytes(billion_laughs(30), "lol.yaml")  # 10**30 nodes if expanded
    cpu = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [d.rule for d in result.diagnostics] == ["input-too-large"]
    assert cpu < 5 and peak < 100 * 2**20


DEPTH = 100_000
DEEP = {
    "flow-sequences": "x: " + "[" * DEPTH + "]" * DEPTH,
    "flow-mappings": "x: " + "{a: " * DEPTH + "1" + "}" * DEPTH,
    "compact-block-sequences": "x:\n" + "- " * DEPTH + "leaf",
    "block-sequences-then-flow": "- " * (DEPTH // 2) + "[" * (DEPTH // 2) + "]" * (DEPTH // 2),
    "explicit-keys": "? " * DEPTH + "key",
    "sequences-in-flow-mappings": "x: " + "{a: [" * (DEPTH // 2) + "]}" * (DEPTH // 2),
    # closing brackets inside strings and comments must not hide the real depth
    "brackets-in-strings": "x: " + ("[" * 150 + '"' + "]" * 150 + '", # ]]]]]]]]]]\n') * 700 + "]" * 105_000,
    # 4,000 levels of indented block mappings (8 MB)
    "indented-block-mappings": "".join(" " * i + f"k{i}:\n" for i in range(4000)) + " " * 4000 + "leaf",
}
DEEP_LINE = {"compact-block-sequences": 2, "brackets-in-strings": 2, "indented-block-mappings": 201}


def test_nesting_far_too_deep(tmp_path):
    paths = {shape: tmp_path / f"{shape}.yaml" for shape in DEEP}
    for shape, path in paths.items():
        path.write_text(DEEP[shape] + "\n", encoding="utf-8")
    report, elapsed = lint_beside_good_file(tmp_path, *paths.values())
    for shape, path in paths.items():
        [(rule, line, _, message)] = found(report, path)
        assert (rule, line, message) == ("input-too-large", DEEP_LINE.get(shape, 1),
                                         "nesting deeper than 200 levels; not linted"), shape
    assert elapsed < 60


def test_nesting_is_refused_early_and_in_bounded_memory():
    for shape, text in DEEP.items():
        data = (text + "\n").encode()
        tracemalloc.start()
        started = time.process_time()
        result = load_bytes(data, "deep.yaml")
        cpu = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert [d.rule for d in result.diagnostics] == ["input-too-large"], shape
        assert cpu < 5, shape
        assert peak < 10 * len(data) + 2**20, shape  # the text and its line table, no tree


def test_fifty_megabyte_file(tmp_path):
    bad = tmp_path / "huge.yaml"
    with open(bad, "wb") as fh:
        fh.write(b"key: value\n" * (50 * 2**20 // 11))
    report, elapsed = lint_beside_good_file(tmp_path, bad)
    assert found(report, bad) == [("input-too-large", 1, 1, "file is 50.0 MiB, over the 10 MiB limit; not linted")]
    assert elapsed < 30


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path):
    bad = tmp_path / "huge.yaml"
    with open(bad, "wb") as fh:
        fh.truncate(50 * 2**20)  # sparse: 50 MB of NULs
    tracemalloc.start()
    result = read_file(str(bad))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [d.message for d in result.diagnostics] == ["file is 50.0 MiB, over the 10 MiB limit; not linted"]
    assert peak < 2**20


def test_helm_template(tmp_path):
    bad = tmp_path / "workflow.yaml"
    bad.write_text("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: {{ .Release.Name }}\n"
                   "spec:\n  {{- if .Values.serviceAccount }}\n  serviceAccountName: {{ .Values.serviceAccount }}\n"
                   "  {{- end }}\n  entrypoint: main\n", encoding="utf-8")
    report, _ = lint_beside_good_file(tmp_path, bad)
    assert found(report, bad) == [("helm-template", 4, 9, "this is a Helm (Go) template, not a manifest; argolint "
                                   "checks rendered manifests")]


def test_bad_input_on_stdin(tmp_path):
    report, _ = lint_beside_good_file(tmp_path, "-", stdin=b"\x00\x01\x02")
    assert found(report, "-") == [("unreadable-file", 1, 1, "binary file (NUL byte on line 1); not linted")]
    report, _ = lint_beside_good_file(tmp_path, "-", stdin=billion_laughs())
    assert [f[0] for f in found(report, "-")] == ["input-too-large"]


def test_good_manifest_on_stdin(tmp_path):
    code, out, err = run_cli("--format", "json", "-", stdin=GOOD.encode(), cwd=tmp_path)
    assert code == 1 and "Traceback" not in err
    assert ("-", "unknown-template", 6, 15) in [(d["file"], d["rule"], d["line"], d["column"])
                                                for d in json.loads(out)["diagnostics"]]
