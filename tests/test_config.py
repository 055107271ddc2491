"""Configuration: `.argolint.yaml` or `[tool.argolint]` in pyproject.toml, found from the
current directory upwards; every key; and bad configurations exiting 2 with the key and file."""

from __future__ import annotations

import json

import pytest
from test_cli import BAD, WARN, write


@pytest.fixture
def found(cli):
    """found(FOLDER, ARGS..., cwd=FOLDER): exit code and (file, line, rule, severity) of each
    diagnostic of `argolint --format json ARGS` run in `cwd`."""

    def run(folder, *args, cwd=None):
        code, out, err = cli("--format=json", *args, cwd=cwd or folder)
        assert code in (0, 1), err
        return code, [(d["file"], d["line"], d["rule"], d["severity"]) for d in json.loads(out)["diagnostics"]]

    return run


BAD_ERROR = ("bad.yaml", 14, "unknown-template", "error")
WARNING = ("warn.yaml", 5, "missing-service-account", "warning")


@pytest.fixture
def project(tmp_path):
    write(tmp_path, "bad.yaml", BAD)
    write(tmp_path, "warn.yaml", WARN)
    return tmp_path


def configure(folder, text, name=".argolint.yaml"):
    write(folder, name, text)


# --- where the configuration comes from ------------------------------------------------------


def test_argolint_yaml_in_the_current_directory(found, project):
    configure(project, "select: [unknown-template, missing-service-account]\nignore: [unknown-template]\n")
    assert found(project) == (0, [WARNING])


def test_found_upwards_from_a_subdirectory(found, project):
    configure(project, "select: [missing-service-account]\n")
    sub = project / "sub" / "dir"
    sub.mkdir(parents=True)
    write(sub, "warn.yaml", WARN)
    assert found(project, cwd=sub) == (0, [("warn.yaml", 5, "missing-service-account", "warning")])


def test_the_nearest_configuration_wins(found, project):
    configure(project, "select: [missing-service-account]\n")
    sub = project / "sub"
    write(sub, "bad.yaml", BAD)
    configure(sub, "select: [unknown-template]\n")
    assert found(project, cwd=sub) == (1, [BAD_ERROR])


def test_pyproject_tool_argolint(found, project):
    configure(project, '[project]\nname = "x"\n\n[tool.argolint]\nselect = ["missing-service-account"]\n',
              "pyproject.toml")
    assert found(project) == (0, [WARNING])


def test_pyproject_without_the_table_is_passed_over(found, project):
    configure(project, "select: [missing-service-account]\n")
    sub = project / "sub"
    write(sub, "pyproject.toml", '[project]\nname = "x"\n')
    write(sub, "bad.yaml", BAD)
    write(sub, "warn.yaml", WARN)
    assert found(project, cwd=sub) == (0, [WARNING])


def test_argolint_yaml_is_preferred_to_pyproject_in_one_folder(found, project):
    configure(project, '[tool.argolint]\nselect = ["unknown-template"]\n', "pyproject.toml")
    configure(project, "select: [missing-service-account]\n")
    assert found(project) == (0, [WARNING])


def test_config_option_replaces_the_search(found, project):
    configure(project, "select: [missing-service-account]\n")
    configure(project, "select: [unknown-template]\n", "ci/argolint.yaml")
    assert found(project, "--config", "ci/argolint.yaml") == (1, [BAD_ERROR])
    configure(project, '[tool.argolint]\nselect = ["unknown-template"]\n', "ci/pyproject.toml")
    assert found(project, "--config", "ci/pyproject.toml") == (1, [BAD_ERROR])


def test_an_empty_configuration_means_defaults(found, project):
    configure(project, "# nothing yet\n")
    assert found(project, "--select", "unknown-template,missing-service-account") == (1, [BAD_ERROR, WARNING])


# --- keys ------------------------------------------------------------------------------------


def test_command_line_select_replaces_and_ignore_extends_the_configuration(found, project):
    configure(project, "select: [unknown-template]\nignore: [missing-service-account]\n")
    assert found(project, "--select", "missing-service-account,unknown-template") == (1, [BAD_ERROR])
    assert found(project, "--ignore", "unknown-template") == (0, [])


def test_severity_raises_lowers_and_turns_off(found, project):
    configure(project, "select: [unknown-template, missing-service-account]\n"
                       "severity:\n  missing-service-account: error\n  unknown-template: info\n")
    assert found(project) == (1, [("bad.yaml", 14, "unknown-template", "info"),
                                  ("warn.yaml", 5, "missing-service-account", "error")])
    configure(project, "select: [unknown-template, missing-service-account]\n"
                       "severity: {missing-service-account: off, unknown-template: warning}\n")
    assert found(project) == (0, [("bad.yaml", 14, "unknown-template", "warning")])


def test_strict(found, project):
    configure(project, "select: [missing-service-account]\nstrict: true\n")
    assert found(project)[0] == 1


def test_per_file_ignores_are_globs_relative_to_the_configuration(found, project):
    sub = project / "legacy"
    write(sub, "old.yaml", WARN)
    write(sub, "deeper/older.yaml", WARN)
    configure(project, "select: [unknown-template, missing-service-account]\n"
                       "per-file-ignores:\n"
                       "  'legacy/*': [missing-service-account]\n"
                       "  'bad.yaml': [ALL]\n")
    assert found(project) == (0, [WARNING])
    # run from elsewhere: the globs still mean paths under the configuration's folder
    assert found(project, "--config", str(project / ".argolint.yaml"), str(project), cwd=project.parent) == (
        0, [(str(project / "warn.yaml"), 5, "missing-service-account", "warning")])


def test_template_paths_are_relative_to_the_configuration(found, project):
    write(project, "shared/templates.yaml", """\
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
    write(project, "apps/wf.yaml", """\
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
    configure(project, "select: [unknown-template, missing-service-account]\ntemplate-paths: [shared]\n")
    assert found(project, "wf.yaml", cwd=project / "apps") == (1, [("wf.yaml", 7, "unknown-template", "error")])


# --- bad configurations ----------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("selcet: [unknown-template]\n", "'selcet': unknown key; did you mean 'select'?"),
    ("colour: true\n", "'colour': unknown key; valid keys: "),
    ("select: unknown-template\n", "'select': Input should be a valid list"),
    ("select: [unknown-templte]\n", "'select': unknown rule id 'unknown-templte'; did you mean 'unknown-template'?"),
    ("ignore: [nope]\n", "'ignore': unknown rule id 'nope'"),
    ("severity: {unknown-template: loud}\n",
     "'severity.unknown-template': Input should be 'error', 'warning', 'info' or 'off'"),
    ("severity: {missing-service-acount: off}\n",
     "'severity': unknown rule id 'missing-service-acount'; did you mean 'missing-service-account'?"),
    ("per-file-ignores: {'*.yaml': unknown-template}\n", "'per-file-ignores.*.yaml': Input should be a valid list"),
    ("per-file-ignores: {'*.yaml': [unknwn-template]}\n", "'per-file-ignores': unknown rule id 'unknwn-template'"),
    ("template-paths: [missing-folder]\n", "'template-paths': missing-folder: no such file or directory"),
    ("max-file-size: 0\n", "'max-file-size': Input should be greater than 0"),
    ("strict: maybe\n", "'strict': Input should be a valid boolean"),
    ("root: /\n", "'root': unknown key"),
    ("- select\n", "configuration must be a mapping, found list"),
    ("select: [a\n", "configuration is not valid YAML"),
])
def test_bad_configuration_exits_2_naming_the_key_and_the_file(cli, project, text, message):
    configure(project, text)
    code, out, err = cli("bad.yaml", cwd=project)
    assert (code, out) == (2, "")
    assert err.startswith(f"argolint: error: {project / '.argolint.yaml'}: {message}"), err


def test_bad_pyproject(cli, project):
    configure(project, "[tool.argolint]\nselect = [\n", "pyproject.toml")
    code, _, err = cli("bad.yaml", cwd=project)
    assert code == 2
    assert err.startswith(f"argolint: error: {project / 'pyproject.toml'}: invalid TOML"), err
    configure(project, '[tool.argolint]\nignore = ["unknown-template"]\nselct = []\n', "pyproject.toml")
    code, _, err = cli("bad.yaml", cwd=project)
    assert code == 2
    assert err == f"argolint: error: {project / 'pyproject.toml'}: 'selct': unknown key; did you mean 'select'?\n"


def test_every_problem_is_reported_at_once(cli, project):
    configure(project, "selcet: []\nstrict: maybe\n")
    code, _, err = cli("bad.yaml", cwd=project)
    assert code == 2
    path = project / ".argolint.yaml"
    assert err == (f"argolint: error: {path}: 'selcet': unknown key; did you mean 'select'?\n"
                   f"{path}: 'strict': Input should be a valid boolean, unable to interpret input\n")


def test_default_config_is_config_without_pydantic():
    """A run without a configuration file uses DefaultConfig: the same values as the model's
    defaults, so behaviour cannot drift between the two."""
    from argolint.config import DefaultConfig
    from argolint.lint.config_model import Config

    default = {key: vars(value) if hasattr(value, "__dict__") else value
               for key, value in vars(DefaultConfig()).items() if not key.startswith("_")}
    assert default == Config().model_dump()


def test_lint_without_a_configuration_file_does_not_import_pydantic(tmp_path):
    import subprocess
    import sys

    manifest = tmp_path / "wf.yaml"
    manifest.write_text("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: hello\nspec:\n"
                        "  entrypoint: main\n  templates:\n  - name: main\n    container:\n      image: alpine:3.20\n")
    code = ("import sys, argolint; from argolint.cli.main import main; import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()): main([sys.argv[1]])\n"
            "argolint.lint_text(open(sys.argv[1]).read())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))")
    out = subprocess.run([sys.executable, "-c", code, str(manifest)], cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
