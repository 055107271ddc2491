"""The language server re-lints a buffer at every edit and reuses what it found in the
documents the edit did not touch: after any sequence of edits, the diagnostics must be
those of a fresh lint of the same text."""

from __future__ import annotations

import pytest

from argolint.lsp.workspace import Workspace

TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: shared}
spec:
  templates:
  - name: build
    container: {image: "alpine:3.20"}
"""

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: {}-
spec:
  serviceAccountName: argo
  entrypoint: main
  templates:
  - name: main
    steps:
"""

CALLER = WORKFLOW.format("caller") + """\
    - - name: one
        templateRef: {name: shared, template: build}
"""

# findings whose messages name lines: a duplicate step name ("the first is on line N")
# and an unknown template
FAULTY = WORKFLOW.format("faulty") + """\
    - - name: twice
        template: print
    - - name: twice
        template: prnt
  - name: print
    container: {image: "alpine:3.20"}
"""


def _file(*documents: str) -> str:
    return "---\n".join(documents)


def _fresh(tmp_path, text: str) -> list:
    workspace = Workspace()
    workspace.open("fresh", str(tmp_path / "wf.yaml"), 1, text)
    return workspace.lint("fresh").diagnostics


def _edited(tmp_path, versions: list[str]) -> None:
    """Open the first text, change it to each of the others in turn: every lint equals a
    fresh one of the same text."""
    workspace = Workspace()
    workspace.open("buffer", str(tmp_path / "wf.yaml"), 1, versions[0])
    for version, text in enumerate(versions, start=1):
        workspace.change("buffer", version, text)
        assert workspace.lint("buffer").diagnostics == _fresh(tmp_path, text), f"version {version}"


def _lines_of(diagnostics) -> set:
    return {(d.rule, d.line, d.message) for d in diagnostics}


def test_lines_added_and_removed_above_a_document_move_its_findings(tmp_path):
    before = _file(TEMPLATE, CALLER, FAULTY)
    grown = _file(TEMPLATE.replace("spec:\n", "# a comment\nspec:\n  # another\n"), CALLER, FAULTY)
    shrunk = _file(TEMPLATE, CALLER.replace("  serviceAccountName: argo\n", ""), FAULTY)
    _edited(tmp_path, [before, grown, before, shrunk, grown, before])
    moved = _lines_of(_fresh(tmp_path, grown)) - _lines_of(_fresh(tmp_path, before))
    assert any("the first is on line" in message for _, _, message in moved)


def test_renaming_a_template_called_from_another_document(tmp_path):
    before = _file(TEMPLATE, CALLER)
    renamed = _file(TEMPLATE.replace("name: build", "name: built"), CALLER)
    assert not [d for d in _fresh(tmp_path, before) if d.document == 1]
    assert [d for d in _fresh(tmp_path, renamed) if d.document == 1]
    _edited(tmp_path, [before, renamed, before, renamed])


def test_a_name_given_twice_across_documents(tmp_path):
    """A second WorkflowTemplate `shared` ahead of the first: the caller's templateRef now
    finds the one without `build`."""
    other = TEMPLATE.replace("name: build", "name: test").replace("name: shared", "name: other")
    before = _file(other, TEMPLATE, CALLER)
    twice = _file(other.replace("{name: other}", "{name: shared}"), TEMPLATE, CALLER)
    assert _fresh(tmp_path, twice) != _fresh(tmp_path, before)
    _edited(tmp_path, [before, twice, before])


def test_a_document_added_and_removed_above_the_others(tmp_path):
    before = _file(CALLER, FAULTY)
    added = _file(TEMPLATE, CALLER, FAULTY)
    _edited(tmp_path, [before, added, before, _file(FAULTY, CALLER), before])


@pytest.mark.parametrize("suppression", [
    "        # argolint: ignore[unknown-template]\n",
    "# argolint: disable-file[duplicate-name]\n",
    "        # argolint: ignore\n",
])
def test_toggling_a_suppression_comment(tmp_path, suppression):
    before = _file(TEMPLATE, CALLER, FAULTY)
    anchor = "        template: prnt\n" if suppression.startswith(" ") else "apiVersion"
    suppressed = before.replace(anchor, suppression + anchor, 1) if anchor != "apiVersion" \
        else suppression + before
    assert _fresh(tmp_path, suppressed) != _fresh(tmp_path, before)
    _edited(tmp_path, [before, suppressed, before, suppressed])


def test_every_single_line_insertion_and_deletion(tmp_path):
    """A line typed (a comment, a key, a broken line), changed or deleted anywhere in a
    file of three documents, then undone."""
    before = _file(TEMPLATE, CALLER, FAULTY)
    lines = before.split("\n")
    versions = [before]
    for i in range(len(lines)):
        for typed in ("# note", "      image: busybox", "  - name: [", "---"):
            versions += ["\n".join(lines[:i] + [typed] + lines[i:]), before]
        versions += ["\n".join(lines[:i] + lines[i + 1:]), before]
        versions += ["\n".join(lines[:i] + [lines[i] + "x"] + lines[i + 1:]), before]
    _edited(tmp_path, versions)
