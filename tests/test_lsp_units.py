"""The language server's parts that need no client: columns, what gets diagnostics, the
quick fixes (applied and re-linted), and hover / completion over the templating model."""

from __future__ import annotations

import os

import pytest

from argolint.lsp.actions import actions
from argolint.lsp.positions import UTF8, UTF16, UTF32, from_client, to_client
from argolint.lsp.templating import complete, describe_tag
from argolint.lsp.workspace import Workspace, is_reportable, parse
from argolint.config import Config
from argolint.load.positions import SourceText

# -- columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, expected", [(UTF16, 11), (UTF8, 14), (UTF32, 10)])
def test_columns_count_code_units_of_the_encoding(encoding, expected):
    line = 'name: "é🚀" x'  # é is 1/2 units (UTF-16/UTF-8), 🚀 is 2/4
    column = line.index(" x") + 1  # 1-based code-point column of the space before x
    assert to_client(line, column, encoding) == expected
    assert from_client(line, expected, encoding) == column


def test_a_character_inside_a_surrogate_pair_counts_as_its_code_point():
    assert from_client("🚀x", 1, UTF16) == 2
    assert from_client("ab", 10, UTF16) == 3  # past the end: the end of the line


# -- which buffers get diagnostics -------------------------------------------------------------


@pytest.mark.parametrize("text, reportable", [
    ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: {}\n", True),
    ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: [\n", True),  # broken, but says Workflow
    ('{"kind": "CronWorkflow", "spec": [}', True),
    ("kind: ConfigMap\ndata: [\n", False),
    ("services:\n  web: {image: a}\n  web: {image: b}\n", False),  # a duplicate key, but not Argo
    ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: [\n", False),  # Argo CD
])
def test_only_argo_manifests_are_reported(text, reportable):
    assert is_reportable(parse(text, "x.yaml", Config())) is reportable


# -- quick fixes -------------------------------------------------------------------------------


def _lint(tmp_path, text, name="wf.yaml", others=()):
    workspace = Workspace([str(tmp_path)])
    for other_name, other_text in others:
        (tmp_path / other_name).write_text(other_text, encoding="utf-8")
    workspace.index()
    path = str(tmp_path / name)
    workspace.open(path, path, 1, text)
    return workspace, workspace.lint(path)


def _apply(text, edits):
    src = SourceText(text)
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        start = src.offset(edit.span.line, edit.span.column)
        end = src.offset(edit.span.end_line, edit.span.end_column)
        text = text[:start] + edit.text + text[end:]
    return text


def _fix(tmp_path, text, rule, title_start, name="wf.yaml", others=()):
    """Apply the quick fix of the first `rule` diagnostic whose title starts so; return the
    new text and its diagnostics."""
    workspace, lint = _lint(tmp_path, text, name, others)
    diagnostic = next(d for d in lint.diagnostics if d.rule == rule)
    action = next(a for a in actions(lint, diagnostic) if a.title.startswith(title_start))
    fixed = _apply(text, action.edits)
    workspace.change(lint.key, 2, fixed)
    return fixed, workspace.lint(lint.key).diagnostics


HEAD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: fix-
spec:
  serviceAccountName: argo-workflow
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: one
"""
PRINT = """\
  - name: print
    container:
      image: alpine:3.20
"""


@pytest.mark.parametrize("written, fixed", [
    ("template: prnt", "template: print"),
    ('template: "prnt"', 'template: "print"'),
    ("template: 'prnt'", "template: 'print'"),
])
def test_did_you_mean_keeps_the_quoting(tmp_path, written, fixed):
    text = HEAD + f"        {written}\n" + PRINT
    new, diagnostics = _fix(tmp_path, text, "unknown-template", "Replace with 'print'")
    assert f"        {fixed}\n" in new
    assert diagnostics == []


def test_did_you_mean_on_a_key(tmp_path):
    text = HEAD + "        template: print\n" + PRINT.replace("image:", "imgae:")
    new, diagnostics = _fix(tmp_path, text, "unknown-field", "Replace with 'image'")
    assert "      image: alpine:3.20\n" in new
    assert diagnostics == []


def test_service_account_goes_after_entrypoint_at_the_keys_indentation(tmp_path):
    text = HEAD.replace("  serviceAccountName: argo-workflow\n", "") + "        template: print\n" + PRINT
    new, diagnostics = _fix(tmp_path, text, "missing-service-account", "Add serviceAccountName")
    assert "spec:\n  entrypoint: main\n  serviceAccountName: argo-workflow\n  templates:\n" in new
    assert diagnostics == []


def test_service_account_in_a_cron_workflow_and_at_the_end_of_the_file(tmp_path):
    text = ("apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata:\n  name: nightly\nspec:\n"
            "  schedules: ['0 1 * * *']\n  workflowSpec:\n    templates:\n    - name: main\n      container:\n"
            "        image: alpine:3.20\n    entrypoint: main")
    new, diagnostics = _fix(tmp_path, text, "missing-service-account", "Add serviceAccountName")
    assert new.endswith("    entrypoint: main\n    serviceAccountName: argo-workflow")
    assert diagnostics == []


def test_service_account_in_a_flow_mapping(tmp_path):
    text = ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: flow-}\n"
            "spec: {entrypoint: main, templates: [{name: main, container: {image: 'alpine:3.20'}}]}\n")
    new, diagnostics = _fix(tmp_path, text, "missing-service-account", "Add serviceAccountName")
    assert "spec: {serviceAccountName: argo-workflow, entrypoint: main," in new
    assert diagnostics == []


def test_service_accounts_of_the_workspace_are_offered_first(tmp_path):
    account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n"
    text = HEAD.replace("  serviceAccountName: argo-workflow\n", "") + "        template: print\n" + PRINT
    _, lint = _lint(tmp_path, text, others=[("sa.yaml", account)])
    diagnostic = next(d for d in lint.diagnostics if d.rule == "missing-service-account")
    assert [a.title for a in actions(lint, diagnostic)][0] == "Add serviceAccountName: runner"


def test_ignore_comment_at_the_end_of_the_line(tmp_path):
    text = HEAD + "        template: prnt  \n" + PRINT
    new, diagnostics = _fix(tmp_path, text, "unknown-template", "Ignore 'unknown-template'")
    assert "        template: prnt  # argolint: ignore[unknown-template]\n" in new
    assert [d.rule for d in diagnostics] == ["unused-template"]  # 'print': the step still calls 'prnt'


def test_ignore_extends_an_existing_directive(tmp_path):
    text = HEAD + "        template: prnt  # argolint: ignore[unknown-argument]\n" + PRINT
    new, diagnostics = _fix(tmp_path, text, "unknown-template", "Ignore 'unknown-template'")
    assert "        template: prnt  # argolint: ignore[unknown-argument, unknown-template]\n" in new
    # unknown-argument suppressed nothing; 'print' is unused while the step calls 'prnt'
    assert [d.rule for d in diagnostics] == ["unused-suppression", "unused-template"]


def test_ignore_goes_above_a_key_whose_value_is_a_block_scalar(tmp_path):
    text = HEAD + "        template: print\n" + PRINT.replace(
        "    container:\n      image: alpine:3.20\n",
        "    script:\n      image: alpine:3.20\n      sourc: |\n        echo hi\n")
    workspace, lint = _lint(tmp_path, text)
    diagnostic = next(d for d in lint.diagnostics if d.rule == "unknown-field")
    action = next(a for a in actions(lint, diagnostic) if a.title.startswith("Ignore"))
    new = _apply(text, action.edits)
    assert "      # argolint: ignore[unknown-field]\n      sourc: |\n        echo hi\n" in new
    workspace.change(lint.key, 2, new)
    assert "unknown-field" not in {d.rule for d in workspace.lint(lint.key).diagnostics}


def test_no_ignore_inside_a_block_scalar_or_in_json(tmp_path):
    text = HEAD + "        template: print\n" + PRINT.replace(
        "    container:\n      image: alpine:3.20\n",
        "    script:\n      image: alpine:3.20\n      source: |\n        echo {{inputs.parameters.nope}}\n")
    _, lint = _lint(tmp_path, text)
    inside = next(d for d in lint.diagnostics if d.rule == "unknown-variable")
    assert [a.title for a in actions(lint, inside)] == []
    json_text = ('{"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "j"},\n'
                 ' "spec": {"serviceAccountName": "a", "entrypoint": "mian",\n'
                 '  "templates": [{"name": "main", "container": {"image": "alpine:3.20"}}]}}\n')
    _, lint = _lint(tmp_path, json_text, name="wf.json")
    typo = next(d for d in lint.diagnostics if d.rule == "unknown-template")
    assert [a.title for a in actions(lint, typo)] == ["Replace with 'main'"]
    fixed = _apply(json_text, actions(lint, typo)[0].edits)
    assert '"entrypoint": "main"' in fixed


# -- hover and completion on tags ------------------------------------------------------------

STEPS = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: tags-
spec:
  serviceAccountName: argo-workflow
  entrypoint: main
  arguments:
    parameters:
    - name: greeting
      value: hello
  templates:
  - name: main
    steps:
    - - name: generate
        template: gen
    - - name: show
        template: print
        arguments:
          parameters:
          - name: message
            value: "{{steps.generate.outputs.parameters.out}}"
        withItems: [{os: linux}, {os: windows}]
  - name: gen
    outputs:
      parameters:
      - name: out
        valueFrom:
          path: /tmp/out
    container:
      image: alpine:3.20
  - name: print
    inputs:
      parameters:
      - name: message
        default: hi
    container:
      image: alpine:3.20
      args: ["{{inputs.parameters.message}}"]
"""


def _at(text, needle, offset=0):
    """1-based line and column of `needle` in `text` (plus `offset` characters)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number, line.index(needle) + 1 + offset
    raise AssertionError(needle)


def test_hover_on_a_tag_tells_what_it_refers_to(tmp_path):
    _, lint = _lint(tmp_path, STEPS)
    assert lint.diagnostics == []
    info = describe_tag(lint, *_at(STEPS, "{{steps.generate", 5))
    assert info.markdown == ("`steps.generate.outputs.parameters.out`: step `generate` (group 1), which runs "
                             "template `gen`: its output parameter `out` (valueFrom path: `/tmp/out`)")
    assert (info.span.line, info.span.column, info.span.end_column) == (22, 21, 62)
    info = describe_tag(lint, *_at(STEPS, "{{inputs.parameters.message", 3))
    assert info.markdown == "`inputs.parameters.message`: input parameter `message` of template `print`: default `hi`"
    assert describe_tag(lint, *_at(STEPS, "image: alpine")) is None


def test_completion_after_steps_offers_earlier_steps_only(tmp_path):
    text = STEPS.replace("{{steps.generate.outputs.parameters.out}}", "{{steps.}}")
    _, lint = _lint(tmp_path, text)
    found = complete(lint, *_at(text, "{{steps.", 8))
    labels = [i.label for i in found.items]
    assert "steps.generate.outputs.parameters.out" in labels
    assert "steps.generate.outputs.result" in labels
    assert not [label for label in labels if label.startswith("steps.show.outputs")]  # itself: not yet
    assert all(label.startswith("steps.") for label in labels)  # what was typed filters the items
    line, column = _at(text, "{{steps.", 8)
    # the range starts at the word being typed (after the dot), as clients that ignore ranges
    # insert at the keyword start
    assert (found.replace.line, found.replace.column, found.replace.end_column) == (line, column, column)
    item = next(i for i in found.items if i.label == "steps.generate.outputs.parameters.out")
    assert (item.insert, item.filter) == ("generate.outputs.parameters.out", "generate.outputs.parameters.out")
    # the closing braces are there already


def test_completion_while_the_unquoted_tag_breaks_the_yaml(tmp_path):
    text = STEPS.replace('value: "{{steps.generate.outputs.parameters.out}}"', "value: {{steps.gen")
    _, lint = _lint(tmp_path, text)
    assert [d.rule for d in lint.diagnostics] == ["yaml-syntax"]
    line, column = _at(text, "{{steps.gen", 11)
    found = complete(lint, line, column)
    assert found is not None
    assert (found.replace.line, found.replace.column, found.replace.end_column) == (line, column - 3, column)
    item = next(i for i in found.items if i.label == "steps.generate.outputs.parameters.out")
    assert item.insert == "generate.outputs.parameters.out}}"
    assert {i.label.split(".")[1] for i in found.items} == {"generate"}


def test_completion_while_a_quote_and_a_bracket_are_open(tmp_path):
    """`args: ["{{inputs.` as typed: the line is closed (`"]`) to parse it; the item
    inserted at the word's start gives the full tag, not `{{inputs.inputs.parameters...`."""
    text = STEPS.replace('args: ["{{inputs.parameters.message}}"]', 'args: ["{{inputs.')
    _, lint = _lint(tmp_path, text)
    assert [d.rule for d in lint.diagnostics] == ["yaml-syntax"]
    line, column = _at(text, '["{{inputs.', 11)
    found = complete(lint, line, column)
    assert [(i.label, i.insert) for i in found.items] == [("inputs.parameters.message", "parameters.message}}")]
    assert (found.replace.line, found.replace.column, found.replace.end_column) == (line, column, column)
    text_line = text.split("\n")[line - 1]
    inserted = text_line[: column - 1] + found.items[0].insert + text_line[column - 1:]
    assert inserted.endswith('args: ["{{inputs.parameters.message}}')


def test_completion_in_a_template_body_offers_its_inputs(tmp_path):
    text = STEPS.replace('args: ["{{inputs.parameters.message}}"]', 'args: ["{{in}}"]')
    _, lint = _lint(tmp_path, text)
    found = complete(lint, *_at(text, "{{in", 4))
    assert [i.label for i in found.items] == ["inputs.parameters.message"]  # filtered by `in`
    empty = text.replace('["{{in}}"]', '["{{}}"]')
    _, lint = _lint(tmp_path, empty)
    labels = [i.label for i in complete(lint, *_at(empty, '"{{}}', 3)).items]
    assert labels[0] == "inputs.parameters.message"
    assert "pod.name" in labels and not [label for label in labels if label.startswith("steps.generate")]
    assert complete(lint, *_at(text, "image: alpine", 3)) is None  # not in a tag


def test_completion_offers_retries_only_in_a_template_that_retries(tmp_path):
    """Nothing typed after `{{`, so no prefix filters the items."""
    text = STEPS.replace('args: ["{{inputs.parameters.message}}"]', 'args: ["{{}}"]')
    _, lint = _lint(tmp_path, text)
    labels = [i.label for i in complete(lint, *_at(text, '["{{', 4)).items]
    assert "inputs.parameters.message" in labels
    assert not [label for label in labels if label.startswith(("retries", "lastRetry"))]
    retrying = text.replace('args: ["{{}}"]', 'args: ["{{}}"]\n    retryStrategy: {limit: "2"}')
    _, lint = _lint(tmp_path, retrying)
    labels = [i.label for i in complete(lint, *_at(retrying, '["{{', 4)).items]
    assert {"retries", "lastRetry.exitCode", "lastRetry.status"} <= set(labels)


def test_completion_in_a_pod_level_field_offers_each_pod_templates_inputs(tmp_path):
    text = STEPS.replace("  templates:\n", "  nodeSelector:\n    pool: \"{{in}}\"\n  templates:\n", 1)
    _, lint = _lint(tmp_path, text)
    labels = [i.label for i in complete(lint, *_at(text, "{{in", 4)).items]
    assert labels[0] == "inputs.parameters.message"  # of template 'print', which runs a pod


def test_hover_inside_an_expression_names_the_variable(tmp_path):
    text = STEPS.replace('value: "{{steps.generate.outputs.parameters.out}}"',
                         "value: \"{{=sprig.upper(steps['generate'].outputs.parameters.out)}}\"")
    _, lint = _lint(tmp_path, text)
    assert lint.diagnostics == []
    info = describe_tag(lint, *_at(text, "['generate']", 3))
    assert info.markdown.startswith("`steps.generate.outputs.parameters.out`: step `generate` (group 1)")
    line, column = _at(text, "steps['generate']")
    assert (info.span.line, info.span.column) == (line, column)
    assert info.span.end_column == column + len("steps['generate'].outputs.parameters.out")


def test_each_buffer_of_a_workspace_gets_what_the_cli_reports_for_it(corpus):
    """Open every upstream example in turn, the others indexed from disk: each gets exactly
    the diagnostics the CLI gives that file when it lints the whole folder."""
    import glob
    import os
    from collections import defaultdict

    from helpers import lint

    def key(d):
        return d.rule, d.line, d.column, d.end_line, d.end_column, d.message, d.hint

    expected = defaultdict(list)
    for d in lint(corpus):
        expected[os.path.realpath(d.file)].append(key(d))
    workspace = Workspace([corpus])
    workspace.index()
    paths = sorted(glob.glob(os.path.join(corpus, "**", "*.yaml"), recursive=True))
    assert len(paths) > 200
    for path in paths:
        real = os.path.realpath(path)
        with open(path, encoding="utf-8") as fh:
            workspace.open(real, path, 1, fh.read())
        found = [key(d) for d in workspace.lint(real).diagnostics]
        workspace.close(real)
        assert found == expected[real], path


def test_workspace_index_walks_like_the_cli(tmp_path):
    """Workspace folders are indexed as the CLI indexes a project context: .gitignore and
    the configuration's excludes apply."""
    account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {}\n"
    for folder in ("kept", "generated", "legacy"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "sa.yaml").write_text(account.format(folder), encoding="utf-8")
    (tmp_path / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (tmp_path / ".argolint.yaml").write_text("extend-exclude: [legacy]\n", encoding="utf-8")
    workspace = Workspace([str(tmp_path)])
    workspace.index()
    assert sorted(os.path.relpath(p, os.path.realpath(tmp_path)) for p in workspace.disk) == ["kept/sa.yaml"]


def test_hover_on_a_plain_key_gives_the_fields_description(tmp_path):
    from argolint.lsp.fields import describe_key

    _, lint = _lint(tmp_path, STEPS)
    line, column = _at(STEPS, "image: alpine", 2)
    info = describe_key(lint, line, column)
    assert info.markdown.startswith("`image` (Container.image): Container image name.")
    assert (info.span.line, info.span.column, info.span.end_column) == (line, column - 2, column + 3)
    line, column = _at(STEPS, "entrypoint:")
    assert describe_key(lint, line, column).markdown.startswith("`entrypoint` (WorkflowSpec.entrypoint): Entrypoint")
    assert describe_key(lint, *_at(STEPS, "image: alpine", 8)) is None  # on the value, not the key
