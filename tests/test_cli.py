"""The `argolint` command as a user runs it: paths, options, subcommands, exit codes, colour."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import textwrap

import pytest
from helpers import run_cli

import argolint
from argolint.cli.main import main
from argolint.config import Config
from argolint.diagnostics import Finding
from argolint.rules import RULES
from argolint.rules.base import Rule
from argolint.rules.missing_service_account import MissingServiceAccount
from argolint.rules.unknown_template import UnknownTemplate
from argolint.lint.runner import build_project, exit_code, lint_project

GOOD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  templates:
    - name: main
      container:
        image: busybox:1.36
        command: [echo, hello]
"""

# A step calls 'pirnt' (line 14, column 23); 'print' is still reachable through 'say'.
BAD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  templates:
    - name: main
      steps:
        - - name: say
            template: print
        - - name: again
            template: pirnt
    - name: print
      container:
        image: busybox:1.36
        command: [echo, hello]
"""

# Clean but for the missing serviceAccountName: a warning on `spec:` (line 5, column 1).
WARN = GOOD.replace("  serviceAccountName: argo-workflow\n", "")

BAD_LINE = ("bad.yaml:14:23: error: step 'again' template 'pirnt' is not a template of this workflow; "
            "did you mean 'print'? [unknown-template]")
# Another rule's wording is not this file's business: "…" stands for any text.
WARN_LINE = "warn.yaml:5:1: warning: Workflow has no serviceAccountName…[missing-service-account]"
SELECT = "--select=unknown-template,missing-service-account"


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def heads(out):
    """The `file:line:col: ...` lines of text output (no snippets, no summary)."""
    return [line for line in out.splitlines() if ": error: " in line or ": warning: " in line or ": info: " in line]


def like(expected, lines):
    """Whether `lines` match `expected` one to one, where "…" in an expected line matches any text."""
    if len(expected) != len(lines):
        return False
    return all(re.fullmatch(".*".join(map(re.escape, e.split("…"))), line) for e, line in zip(expected, lines))


# --- paths -----------------------------------------------------------------------------------


def test_one_file_text_output_with_snippet_and_caret(cli, tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    code, out, err = cli(SELECT, "bad.yaml", cwd=tmp_path)
    assert code == 1, err
    assert out == textwrap.dedent(f"""\
        {BAD_LINE}
           |
        14 |             template: pirnt
           |                       ^^^^^
        Found 1 error in 1 file.
        """)
    assert err == ""


def test_directory_is_linted_recursively_skipping_hidden_folders_and_other_files(cli, tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    write(tmp_path, "deep/er/warn.yml", WARN)
    write(tmp_path, "deep/wf.json", json.dumps({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                                                  "metadata": {"name": "j"},
                                                  "spec": {"entrypoint": "mian", "serviceAccountName": "sa",
                                                           "templates": [{"name": "main",
                                                                          "container": {"image": "a:1"}}]}}))
    write(tmp_path, ".hidden/bad.yaml", BAD)
    write(tmp_path, "deep/.git/bad.yaml", BAD)
    write(tmp_path, ".dotfile.yaml", BAD)
    write(tmp_path, "notes.txt", BAD)
    code, out, _ = cli(SELECT, "--format=json", ".", cwd=tmp_path)
    assert code == 1
    report = json.loads(out)
    assert report["files"] == 3
    assert [(d["file"], d["line"], d["column"], d["rule"]) for d in report["diagnostics"]] == [
        ("bad.yaml", 14, 23, "unknown-template"),
        ("deep/er/warn.yml", 5, 1, "missing-service-account"),
        ("deep/wf.json", 1, 110, "unknown-template"),
    ]


def test_a_hidden_folder_or_any_file_named_explicitly_is_linted(cli, tmp_path):
    write(tmp_path, ".github/argo/bad.yaml", BAD)
    write(tmp_path, "manifest.txt", BAD)
    code, out, _ = cli(SELECT, ".github/argo", "manifest.txt", cwd=tmp_path)
    assert code == 1
    assert heads(out) == [".github/argo/" + BAD_LINE, BAD_LINE.replace("bad.yaml", "manifest.txt")]


def test_no_path_lints_the_current_directory(cli, tmp_path):
    write(tmp_path, "sub/bad.yaml", BAD)
    code, out, _ = cli(SELECT, cwd=tmp_path)
    assert code == 1
    assert heads(out) == ["sub/" + BAD_LINE]
    assert out.endswith("Found 1 error in 1 file.\n")


def test_stdin(tmp_path):
    code, out, _ = run_cli(SELECT, "-", stdin=BAD.encode(), cwd=tmp_path)
    assert code == 1
    assert heads(out) == [BAD_LINE.replace("bad.yaml", "-")]
    assert "14 |             template: pirnt" in out


def test_stdin_with_a_display_name_next_to_files(cli, tmp_path):
    write(tmp_path, "warn.yaml", WARN)
    code, out, _ = cli(SELECT, "--stdin-filename=piped/bad.yaml", "warn.yaml", "-", stdin=BAD.encode(),
                           cwd=tmp_path)
    assert code == 1
    assert like(["piped/" + BAD_LINE, WARN_LINE], heads(out))
    assert out.endswith("Found 1 error, 1 warning in 2 files.\n")


def test_a_file_given_twice_is_linted_once(cli, tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    code, out, _ = cli(SELECT, "bad.yaml", ".", "./bad.yaml", cwd=tmp_path)
    assert heads(out) == [BAD_LINE]


def test_missing_path_is_a_usage_error(cli, tmp_path):
    code, out, err = cli("nope.yaml", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == "argolint: error: nope.yaml: no such file or directory\n"


def test_empty_directory(cli, tmp_path):
    code, out, err = cli(cwd=tmp_path)
    assert code == 0
    assert out == "No problems in 0 files.\n"
    assert err == "argolint: no YAML or JSON files found\n"


# --- options ---------------------------------------------------------------------------------


def test_select_and_ignore(cli, tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    write(tmp_path, "warn.yaml", WARN)
    _, out, _ = cli("--select", "missing-service-account", ".", cwd=tmp_path)
    assert like([WARN_LINE], heads(out))
    code, out, _ = cli(SELECT, "--ignore", "unknown-template", ".", cwd=tmp_path)
    assert code == 0
    assert like([WARN_LINE], heads(out))
    code, out, _ = cli("--select", "unknown-template,missing-service-account",
                           "--ignore", "missing-service-account,unknown-template", ".", cwd=tmp_path)
    assert (code, out) == (0, "No problems in 2 files.\n")


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_id_in_select_or_ignore_is_a_usage_error(cli, tmp_path, option):
    write(tmp_path, "bad.yaml", BAD)
    code, out, err = cli(option, "unknown-templte", "bad.yaml", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == f"argolint: error: {option}: unknown rule id 'unknown-templte'; did you mean 'unknown-template'?\n"


def test_strict_makes_warnings_fail(cli, tmp_path):
    write(tmp_path, "warn.yaml", WARN)
    code, out, _ = cli(SELECT, "warn.yaml", cwd=tmp_path)
    assert code == 0
    assert like([WARN_LINE], heads(out))
    code, out2, _ = cli(SELECT, "--strict", "warn.yaml", cwd=tmp_path)
    assert (code, out2) == (1, out)


def test_config_option(cli, tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    write(tmp_path, "conf/lint.yaml", "ignore: [unknown-template]\n")
    code, out, _ = cli(SELECT, "--config", "conf/lint.yaml", "bad.yaml", cwd=tmp_path)
    assert (code, out) == (0, "No problems in 1 file.\n")
    code, _, err = cli("--config", "conf/missing.yaml", "bad.yaml", cwd=tmp_path)
    assert code == 2
    assert err == "argolint: error: conf/missing.yaml: configuration file not found\n"


def test_template_path_indexes_without_reporting(cli, tmp_path):
    write(tmp_path, "shared/templates.yaml", """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: shared
spec:
  templates:
    - name: main
      container:
        image: busybox:1.36
""")
    write(tmp_path, "wf.yaml", """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: uses-shared-
spec:
  serviceAccountName: argo-workflow
  entrypoint: mian
  workflowTemplateRef:
    name: shared
""")
    # Without the index (a project context holding nothing) the referenced templates are
    # unknowable: nothing to say.
    (tmp_path / "empty").mkdir()
    code, out, _ = cli(SELECT, "--context", "empty", "wf.yaml", cwd=tmp_path)
    assert (code, out) == (0, "No problems in 1 file.\n")
    # The project context (here the folder of the paths, there being no git repository or
    # configuration) finds it too.
    assert heads(cli(SELECT, "wf.yaml", cwd=tmp_path)[1])[0].startswith("wf.yaml:7:15: error: entrypoint 'mian'")
    # With it, the entrypoint is checked against them; the indexed file itself is not reported
    # (it has no serviceAccountName).
    code, out, _ = cli(SELECT, "--template-path", "shared", "wf.yaml", cwd=tmp_path)
    assert code == 1
    assert heads(out) == ["wf.yaml:7:15: error: entrypoint 'mian' is not a template of this workflow; "
                          "did you mean 'main'? [unknown-template]"]
    assert out.endswith("in 1 file.\n")
    code, _, err = cli("--template-path", "nowhere", "wf.yaml", cwd=tmp_path)
    assert code == 2
    assert err == "argolint: error: --template-path nowhere: no such file or directory\n"


@pytest.mark.parametrize("args", [["--format", "xml"], ["--no-such-option"]])
def test_bad_option_is_a_usage_error(cli, tmp_path, args):
    code, out, err = cli(*args, cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith("usage: argolint")


def test_help(cli, tmp_path):
    code, out, _ = cli("--help", cwd=tmp_path)
    assert code == 0
    for option in ("--format", "--select", "--ignore", "--strict", "--config", "--template-path"):
        assert option in out
    assert "Exit codes: 0 no errors" in out


def test_version(tmp_path):
    code, out, err = run_cli("--version", cwd=tmp_path)
    assert (code, out, err) == (0, f"argolint {argolint.__version__}\n", "")


def test_console_script_is_installed(tmp_path):
    script = os.path.join(os.path.dirname(sys.executable), "argolint")
    if not os.path.exists(script):
        pytest.skip("argolint is not installed next to this Python (not a venv install)")
    write(tmp_path, "bad.yaml", BAD)
    proc = subprocess.run([script, SELECT, "bad.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert heads(proc.stdout) == [BAD_LINE]


# --- subcommands -----------------------------------------------------------------------------


def test_rules_lists_every_rule(cli, tmp_path):
    code, out, _ = cli("rules", cwd=tmp_path)
    assert code == 0
    lines = out.splitlines()
    width = max(len(r.id) for r in RULES)
    assert lines[0] == f"{'RULE':<{width}}  SEVERITY  CATEGORY       FIX     SUMMARY"
    assert lines[1:] == [f"{r.id:<{width}}  {r.severity.value:<8}  {r.category:<13}  {r.fix():<6}  {r.summary()}"
                         for r in RULES]
    assert (f"{'unknown-template':<{width}}  error     correctness    safe    "
            "A reference to a template that does not exist." in lines)
    assert f"{'missing-service-account':<{width}}  warning   correctness    unsafe  " in "\n".join(lines)
    assert f"{'dag-cycle':<{width}}  error     correctness            " in "\n".join(lines)


def test_explain_prints_the_rules_documentation(cli, tmp_path):
    code, out, _ = cli("explain", "missing-service-account", cwd=tmp_path)
    assert code == 0
    rule = next(r for r in RULES if r.id == "missing-service-account")
    assert out == f"# missing-service-account (warning)\n\n{rule.doc()}\n\n{rule.fix_doc()}\n"
    assert "\n## Fix (unsafe: `argolint --fix --unsafe-fixes`)\nInserts `serviceAccountName`" in out
    assert out.startswith(f"# missing-service-account (warning)\n\n{rule.summary()}\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:"):
        assert f"\n{section}" in out


def test_explain_says_an_opt_in_rule_is_off_until_selected(cli, tmp_path):
    code, out, _ = cli("explain", "template-injection", cwd=tmp_path)
    assert code == 0
    assert out.startswith("# template-injection (error, security: off unless selected, "
                          "e.g. `--extend-select security`)\n\n")


def test_explain_unknown_rule(cli, tmp_path):
    code, out, err = cli("explain", "unkown-template", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == "argolint: error: unknown rule 'unkown-template'; did you mean 'unknown-template'?\n"
    code, _, err = cli("explain", "zzz", cwd=tmp_path)
    assert code == 2
    assert err == "argolint: error: unknown rule 'zzz'; see `argolint rules`\n"


# --- exit codes ------------------------------------------------------------------------------


def test_exit_codes(cli, tmp_path):
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "warn.yaml", WARN)
    write(tmp_path, "bad.yaml", BAD)
    assert cli("good.yaml", cwd=tmp_path)[:2] == (0, "No problems in 1 file.\n")
    assert cli(SELECT, "warn.yaml", cwd=tmp_path)[0] == 0
    assert cli(SELECT, "bad.yaml", "good.yaml", cwd=tmp_path)[0] == 1
    assert cli("--frobnicate", cwd=tmp_path)[0] == 2


CRASHING_RULE = """
import sys
from argolint.cli.main import main
from argolint.rules import RULES
from argolint.rules.base import Rule

class Crashing(Rule):
    '''Crashes on every template.'''
    id = "crashing"

    def check_template(self, ctx, template):
        raise ZeroDivisionError("boom")
        yield

RULES.append(Crashing)
sys.exit(main(sys.argv[1:]))
"""


def test_exit_code_3_on_a_crashing_rule_still_reports_the_rest(tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    write(tmp_path, "warn.yaml", WARN)
    proc = subprocess.run([sys.executable, "-c", CRASHING_RULE, "--format=json", "bad.yaml", "warn.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    found = [(d["file"], d["line"], d["column"], d["rule"]) for d in json.loads(proc.stdout)["diagnostics"]]
    # every template of both files crashed the rule; every other rule still reported
    assert found == [
        ("bad.yaml", 9, 7, "internal-error"),
        ("bad.yaml", 14, 23, "unknown-template"),
        ("bad.yaml", 15, 7, "internal-error"),
        ("warn.yaml", 5, 1, "missing-service-account"),
        ("warn.yaml", 8, 7, "internal-error"),
    ]
    crash = json.loads(proc.stdout)["diagnostics"][0]
    assert crash["message"].startswith("rule 'crashing' crashed on this document: ZeroDivisionError: boom")
    assert crash["file"] == "bad.yaml"
    assert "bug in argolint" in crash["hint"]
    assert "internal error" in proc.stderr and "please report it" in proc.stderr
    assert "Traceback" not in proc.stderr


class Crashing(Rule):
    """Crashes on the second template it sees."""

    id = "crashing"

    def __init__(self):
        self.seen = 0

    def check_template(self, ctx, template):
        self.seen += 1
        if self.seen == 2:
            raise KeyError("templates")
        return ()


def test_a_crashing_rule_becomes_an_internal_error_and_the_others_still_run(tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    write(tmp_path, "warn.yaml", WARN)
    config = Config()
    project = build_project([str(tmp_path / "bad.yaml"), str(tmp_path / "warn.yaml")], config)
    found = lint_project(project, config, rules=[Crashing(), UnknownTemplate(), MissingServiceAccount()]).diagnostics
    assert [(os.path.basename(d.file), d.line, d.column, d.rule) for d in found] == [
        ("bad.yaml", 14, 23, "unknown-template"),
        ("bad.yaml", 15, 7, "internal-error"),  # the second template, 'print'
        ("warn.yaml", 5, 1, "missing-service-account"),
    ]
    crash = found[1]
    assert crash.file == str(tmp_path / "bad.yaml")
    assert crash.message.startswith("rule 'crashing' crashed on this document: KeyError: 'templates' at test_cli.py:")
    assert crash.path == "/spec/templates/1"
    assert exit_code(found, strict=False) == 3


class ReportsTwoIds(Rule):
    """Reports its own id on templates and 'second-id' on the spec."""

    id = "first-id"

    def check_document(self, ctx):
        yield Finding(ctx.spec.path, "second", at="key", rule="second-id")

    def check_template(self, ctx, template):
        yield Finding(template.path + ("name",), "first")


class SecondId(Rule):
    """Reported by first-id."""

    id = "second-id"
    reported_by = "first-id"


def test_selecting_an_id_reported_by_another_rule_runs_that_rule(monkeypatch, cli, tmp_path):
    import argolint.rules

    monkeypatch.setattr(argolint.rules, "RULES", RULES + [ReportsTwoIds, SecondId])
    write(tmp_path, "good.yaml", GOOD)
    code, out, _ = cli("--select", "second-id", "--format=json", "good.yaml", cwd=tmp_path)
    assert [(d["rule"], d["line"]) for d in json.loads(out)["diagnostics"]] == [("second-id", 5)]
    code, out, _ = cli("--select", "first-id,second-id", "--ignore", "second-id", "--format=json", "good.yaml",
                       cwd=tmp_path)
    assert [(d["rule"], d["line"]) for d in json.loads(out)["diagnostics"]] == [("first-id", 9)]


def test_every_format_from_the_command_line(cli, tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    code, out, _ = cli(SELECT, "--format=sarif", "bad.yaml", cwd=tmp_path)
    assert code == 1
    result = json.loads(out)["runs"][0]["results"][0]
    assert (result["ruleId"], result["locations"][0]["physicalLocation"]["region"]["startLine"]) == (
        "unknown-template", 14)
    code, out, _ = cli(SELECT, "--format=github", "bad.yaml", cwd=tmp_path)
    assert (code, out) == (1, "::error file=bad.yaml,line=14,col=23,endLine=14,endColumn=28,title=unknown-template::"
                              "step 'again' template 'pirnt' is not a template of this workflow; "
                              "did you mean 'print'?\n")
    code, out, _ = cli(SELECT, "--format=json", "bad.yaml", cwd=tmp_path)
    assert code == 1 and json.loads(out)["summary"] == {"error": 1, "warning": 0, "info": 0}


# --- colour and pipes --------------------------------------------------------------------------


def run_in_terminal(args, cwd, env=None):
    """Run the CLI with its stdout on a pseudo-terminal; return what the terminal showed."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "argolint", *args], cwd=cwd, env=full_env,
                            stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    proc.wait(timeout=60)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def test_colour_on_a_terminal_only_and_never_with_no_color(tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    code, shown = run_in_terminal([SELECT, "bad.yaml"], tmp_path)
    assert code == 1
    assert shown.splitlines()[0] == (
        "\033[1mbad.yaml:14:23:\033[0m \033[1;31merror:\033[0m step 'again' template 'pirnt' is not a template "
        "of this workflow; did you mean 'print'? \033[2m[unknown-template]\033[0m")
    assert shown.splitlines()[3] == "   | \033[1;31m                      ^^^^^\033[0m"
    plain = run_cli(SELECT, "bad.yaml", cwd=tmp_path)[1]
    assert "\033" not in plain
    assert run_in_terminal([SELECT, "bad.yaml"], tmp_path, env={"NO_COLOR": "1"})[1] == plain
    assert run_in_terminal([SELECT, "--no-color", "bad.yaml"], tmp_path)[1] == plain
    # NO_COLOR counts only when set to something (no-color.org)
    assert "\033[" in run_in_terminal([SELECT, "bad.yaml"], tmp_path, env={"NO_COLOR": ""})[1]
    # other formats are never coloured
    assert "\033" not in run_in_terminal([SELECT, "--format=github", "bad.yaml"], tmp_path)[1]


def test_closed_pipe_ends_quietly(tmp_path):
    # Enough warnings to overflow the pipe buffer, read by a consumer that stops after one line.
    docs = "---\n".join(WARN.replace("generateName: hello-", f"name: wf-{i}") for i in range(400))
    write(tmp_path, "many.yaml", docs)
    proc = subprocess.Popen([sys.executable, "-m", "argolint", SELECT, "many.yaml"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"many.yaml:5:1: warning:")
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 0
    assert stderr == b""


@pytest.mark.parametrize("columns", ["40", "100", "250"])
def test_help_and_usage_are_argparse_s_at_any_width(monkeypatch, columns):
    """The lint parser's formatter reads the terminal's width only when it prints."""
    import argparse

    from argolint.cli.main import _lint_parser

    monkeypatch.setenv("COLUMNS", columns)
    ours, plain = _lint_parser(), _lint_parser()
    plain.formatter_class = argparse.HelpFormatter
    assert ours.format_help() == plain.format_help()
    assert ours.format_usage() == plain.format_usage()


def test_lint_imports_no_shutil(tmp_path):
    (tmp_path / "wf.yaml").write_text("a: 1\n", encoding="utf-8")
    code = ("import sys; from argolint.cli import main\n"
            "try:\n    main(['wf.yaml'])\nexcept SystemExit:\n    pass\n"
            "print('shutil' in sys.modules, file=sys.stderr)")
    err = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True).stderr
    assert err.strip().splitlines()[-1] == "False"


def _command(*args, cwd, code=None):
    """`python -m argolint ARGS` in a fresh process, or `code` run as the main program."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "argolint", *args]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered, as usual
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=buffered)


def test_the_command_writes_all_its_output_before_its_quick_exit(tmp_path):
    """`run` ends the process without the interpreter's teardown: what it wrote to a pipe (more
    than the 8 KiB stdout buffer) or to `-o` is complete, and the exit code is main's."""
    from conftest import CORPUS

    piped = _command("--format", "json", "--jobs", "1", CORPUS, cwd=tmp_path)
    in_process = subprocess.run([sys.executable, "-c", "import sys; from argolint.cli.main import main; "
                                 f"sys.exit(main(['--format', 'json', '--jobs', '1', {CORPUS!r}]))"],
                                capture_output=True, text=True, cwd=tmp_path)
    assert len(piped.stdout) > 8192 and json.loads(piped.stdout) == json.loads(in_process.stdout)
    assert piped.returncode == in_process.returncode == 1
    written = _command("--format", "sarif", "-o", str(tmp_path / "out.sarif"), CORPUS, cwd=tmp_path)
    assert written.returncode == 1 and json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]
    assert _command("--select", "no-such-rule", CORPUS, cwd=tmp_path).returncode == 2


def test_the_quick_exit_gives_way_to_a_tracer_or_profiler(tmp_path):
    """Coverage tools and profilers write their results at exit: under one, exit as usual.
    (The report here is smaller than stdout's buffer: the quick exit flushes it.)"""
    from conftest import CORPUS

    program = ("import atexit, sys; atexit.register(lambda: print('exit handlers ran')); "
               f"sys.argv = ['argolint', {os.path.join(CORPUS, 'hello-world.yaml')!r}]; "
               "{trace}from argolint.cli import run; run()")
    traced = _command(cwd=tmp_path, code=program.replace("{trace}", "sys.settrace(lambda *a: None); "))
    plain = _command(cwd=tmp_path, code=program.replace("{trace}", ""))
    assert traced.returncode == plain.returncode == 0
    assert traced.stdout.endswith("exit handlers ran\n") and "exit handlers ran" not in plain.stdout
    assert plain.stdout == traced.stdout.replace("exit handlers ran\n", "") == "No problems in 1 file.\n"
