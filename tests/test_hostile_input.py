"""Input built to crash, hang or exhaust argolint (issue 14): each gets a diagnostic or a
one-line error and its exit code, in bounded time, and the other files are still linted."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from helpers import lint_text, short
from test_bad_input import GOOD as _GOOD

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# a valid workflow; its only finding is the missing-service-account warning on `spec:` (5:1)
GOOD = _GOOD.replace("  serviceAccountName: argo-workflow\n", "").replace("entrypoint: mian", "entrypoint: main")


def argolint(*args, cwd=None, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, timeout=10):
    """Run the CLI in a subprocess bounded by `timeout` seconds: (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "argolint", *map(str, args)], stdin=stdin, stdout=stdout,
                          stderr=subprocess.PIPE, cwd=cwd, timeout=timeout)
    out = proc.stdout.decode("utf-8", "replace") if proc.stdout is not None else ""
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace")


def diagnostics_by_file(out: str) -> dict:
    """{file name: [rule, ...]} from text output."""
    found: dict = {}
    for m in re.finditer(r"^(\S+?):\d+:\d+: \w+: .* \[([a-z-]+)\]$", out, re.M):
        found.setdefault(os.path.basename(m.group(1)), []).append(m.group(2))
    return found


# -- the acceptance directory ----------------------------------------------------------------


def alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_directory_of_hostile_files_is_linted_within_ten_seconds(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    os.mkfifo(tmp_path / "fifo.yaml")  # nobody ever writes to it: opening it for reading would block
    os.symlink("loop.yaml", tmp_path / "loop.yaml")
    with open(tmp_path / "huge.yaml", "wb") as fh:  # 50 MB, sparse: cheap to make
        fh.truncate(50 * 1024 * 1024)
    (tmp_path / "bomb.yaml").write_text(alias_bomb())

    code, out, err = argolint(tmp_path, "--no-color")

    assert code == 1, err
    assert diagnostics_by_file(out) == {
        "bomb.yaml": ["input-too-large"],
        "fifo.yaml": ["unreadable-file"],
        "good.yaml": ["missing-service-account"],
        "huge.yaml": ["input-too-large"],
        "loop.yaml": ["unreadable-file"],
    }
    assert "fifo.yaml:1:1: error: not a regular file (a named pipe); not linted" in out
    assert "loop.yaml:1:1: error: cannot read file: Too many levels of symbolic links" in out
    assert "huge.yaml:1:1: error: file is 50.0 MiB, over the 10 MiB limit; not linted" in out
    assert "bomb.yaml:5:" in out  # where expansion passes 100,000 nodes (line of a4)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_walk_reads_linked_files_and_skips_linked_folders(tmp_path):
    """A link to a manifest is linted as the manifest; a link to a FIFO is reported, not
    opened; a link to a folder (here one that would loop) is not walked into."""
    (tmp_path / "outside.yaml").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe")
    walked = tmp_path / "walked"
    (walked / "sub").mkdir(parents=True)
    (walked / "sub" / "good.yaml").write_text(GOOD)
    os.symlink("../outside.yaml", walked / "linked.yaml")
    os.symlink("../pipe", walked / "pipe.yaml")
    os.symlink("..", walked / "sub" / "again")

    import json

    code, out, err = argolint(walked, "--format", "json")
    found = [(os.path.relpath(d["file"], walked), d["rule"], d["message"]) for d in json.loads(out)["diagnostics"]]
    assert code == 1, err
    assert [(file, rule) for file, rule, _ in found] == [
        ("linked.yaml", "missing-service-account"), ("pipe.yaml", "unreadable-file"),
        (os.path.join("sub", "good.yaml"), "missing-service-account")]
    assert found[1][2] == "not a regular file (a named pipe); not linted"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_named_fifo_and_symlink_loop_are_unreadable_files(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    os.symlink("loop.yaml", tmp_path / "loop.yaml")
    code, out, err = argolint(tmp_path / "pipe.yaml", tmp_path / "loop.yaml", "--format", "json")
    assert code == 1, err
    import json

    found = [(os.path.basename(d["file"]), d["rule"], d["line"], d["column"]) for d in json.loads(out)["diagnostics"]]
    assert found == [("loop.yaml", "unreadable-file", 1, 1), ("pipe.yaml", "unreadable-file", 1, 1)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_dry_run_of_a_fifo_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    code, out, err = argolint("dry-run", tmp_path / "pipe.yaml")
    assert code == 2
    assert "Traceback" not in err


# -- nesting ---------------------------------------------------------------------------------


def test_resource_manifest_nested_28000_levels_is_no_crash(tmp_path):
    """libyaml's composer recursed on it and the process died of a segmentation fault."""
    deep = "[" * 28_000 + "]" * 28_000
    (tmp_path / "wf.yaml").write_text(GOOD + f"""\
  - name: apply
    resource:
      action: create
      manifest: '{deep}'
""")
    code, out, err = argolint(tmp_path / "wf.yaml", "--format", "json")
    assert code == 1, err
    import json

    found = [(d["rule"], d["line"], d["column"], d["message"]) for d in json.loads(out)["diagnostics"]]
    # line 14 is `      manifest: '[[[...`: the value starts at column 17; the mapping inside
    # the manifest is not counted, so the 201st `[` is the level too deep
    assert found == [
        ("missing-service-account", 5, 1, found[0][3]),
        ("unused-template", 11, 11, found[1][3]),
        ("input-too-large", 14, 17, "the manifest of this resource template cannot be read: nesting deeper than "
                                    "200 levels"),
    ]


def test_configuration_nested_30000_levels_is_a_configuration_error(tmp_path):
    (tmp_path / "wf.yaml").write_text(GOOD)
    # the top-level mapping is level 1: the 200th `[`, at column 9 + 199, is level 201
    (tmp_path / ".argolint.yaml").write_text("select: " + "[" * 30_000 + "]" * 30_000 + "\n")
    code, out, err = argolint("wf.yaml", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == (f"argolint: error: {tmp_path / '.argolint.yaml'}: configuration is not valid YAML on line 1, "
                   "column 208: nesting deeper than 200 levels\n")


def test_absurd_max_file_size_is_a_configuration_error(tmp_path):
    (tmp_path / "wf.yaml").write_text(GOOD)
    (tmp_path / ".argolint.yaml").write_text("max-file-size: 1000000000000000000\n")
    code, out, err = argolint("wf.yaml", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith(f"argolint: error: {tmp_path / '.argolint.yaml'}: 'max-file-size': Input should be less "
                          "than or equal to 2048")


def test_expression_nested_a_thousand_levels_is_an_expression_syntax_error(tmp_path):
    text = GOOD.replace("  templates:", '  arguments:\n    parameters:\n    - name: x\n      value: "{{='
                        + "!" * 1000 + 'true}}"\n  templates:')
    found = lint_text(tmp_path, text)
    # line 10 is `      value: "{{=!!!...`: the expression starts at column 18, and its
    # 101st `!` (column 118) is the first node deeper than 100 levels
    assert short(found) == ["5:1: missing-service-account", "10:118: expression-syntax"]
    assert "expression nested deeper than 100 levels" in found[1].message


# -- many findings in one scalar -------------------------------------------------------------


def test_thousands_of_bad_tags_in_one_scalar_are_capped_and_fast(tmp_path):
    tags = " ".join(f"{{{{inputs.parameters.p{i}}}}}" for i in range(5000))
    text = GOOD.replace("      image: alpine:3.20", f'      image: alpine:3.20\n      args: ["{tags}"]')
    found = [d for d in lint_text(tmp_path, text) if d.rule == "unknown-variable"]
    assert len(found) == 101
    summary = [d for d in found if "more" in d.message]
    found = [d for d in found if "more" not in d.message]
    # line 11 is `      args: ["{{inputs.parameters.p0}} ...`: the value starts at column 14
    # ('"'), its first tag `{{inputs.parameters.p0}}` (24 characters) at columns 15 to 38
    assert (found[0].line, found[0].column, found[0].end_column) == (11, 15, 39)
    assert [(d.line, d.column, d.message) for d in summary] == [
        (11, 14, "4,900 more unknown-variable findings in this value not shown (argolint shows at most 100 per "
                 "value)")]


# -- the environment -------------------------------------------------------------------------


def test_closed_stdin_is_an_unreadable_file(tmp_path):
    proc = subprocess.run([sys.executable, "-c", "import os, sys; os.close(0); sys.stdin = None; "
                           "from argolint.cli import main; sys.exit(main(['-']))"],
                          capture_output=True, timeout=10, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert b"-:1:1: error: cannot read standard input: standard input is closed" in proc.stdout


def test_closed_stdout_is_a_one_line_error(tmp_path):
    (tmp_path / "wf.yaml").write_text(GOOD)
    proc = subprocess.run([sys.executable, "-m", "argolint", "wf.yaml"], cwd=tmp_path, stdin=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=10, close_fds=True,
                          preexec_fn=lambda: os.close(1))
    assert (proc.returncode, proc.stderr) == (2, b"argolint: error: cannot write the output: standard output is "
                                                 b"closed\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [[], ["dry-run"]])
def test_full_disk_is_a_one_line_error(tmp_path, command):
    (tmp_path / "wf.yaml").write_text(GOOD)
    with open("/dev/full", "wb") as full:
        code, _, err = argolint(*command, "wf.yaml", cwd=tmp_path, stdout=full)
    assert (code, err) == (2, "argolint: error: cannot write the output: No space left on device\n")


# -- one loader ------------------------------------------------------------------------------


def test_every_yaml_parse_goes_through_the_bounded_loader():
    """libyaml's composer, and ruamel's loaders built on it, recurse without bound: only
    argolint.load.events (the bounded event builder) may touch a YAML parser."""
    allowed = {os.path.join("linter", "load", "events.py")}
    direct = re.compile(r"\bYAML\(|\byaml\.(?:safe_|full_|unsafe_)?load|\bload_all\(|CParser|CLoader|"
                        r"\bcompose(?:_all)?\(|^\s*(?:import|from) yaml\b")
    found = []
    for folder in ("linter", "rules"):
        for base, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in names:
                path = os.path.join(base, name)
                rel = os.path.relpath(path, ROOT)
                if not name.endswith(".py") or rel in allowed:
                    continue
                with open(path, encoding="utf-8") as fh:
                    for number, line in enumerate(fh, 1):
                        if direct.search(line) and not line.lstrip().startswith("#"):
                            found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []
