"""The language server re-lints a buffer at every edit and reuses what it found in the
documents the edit did not touch: after any sequence of edits, the diagnostics must be
those of a fresh lint of the same text."""

from __future__ import annotations

import glob
import os

import pytest
from conftest import CORPUS, FIXTURES, ROOT
from test_lsp_units import STEPS, _at

from argolint.load.chunks import KeptChunks
from argolint.load.loader import load_text
from argolint.lsp.actions import actions
from argolint.lsp.templating import complete, describe_tag
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


# a duplicate key: the loader's finding, whose message names the line of the first
DOUBLED = FAULTY.replace("    container: {image: \"alpine:3.20\"}\n",
                         "    container: {image: \"alpine:3.20\"}\n    container: {image: busybox}\n")


def _file(*documents: str) -> str:
    return "---\n".join(documents)


def _fresh(tmp_path, text: str) -> list:
    workspace = Workspace()
    workspace.open("fresh", str(tmp_path / "wf.yaml"), 1, text)
    return workspace.lint("fresh").diagnostics


def _parsed(loaded) -> list:
    """What a parse tells: each document's data and start, the span of every key and value
    (and of the inside of every string value), and the loader's diagnostics."""
    facts = [loaded.diagnostics]
    for doc in loaded.documents:
        facts.append((doc.index, doc.start_line, doc.data))
        for path, info in doc.nodes.items():
            facts.append((path, info.key, info.value, info.style))
            value = doc.get(path)
            if isinstance(value, str) and len(value) > 2:
                facts.append(doc.span_of(path, start=1, end=len(value) - 1))
    return facts


def _edited(tmp_path, versions: list[str]) -> None:
    """Open the first text, change it to each of the others in turn: every parse and lint
    equals a fresh one of the same text."""
    workspace = Workspace()
    workspace.open("buffer", str(tmp_path / "wf.yaml"), 1, versions[0])
    for version, text in enumerate(versions, start=1):
        workspace.change("buffer", version, text)
        lint = workspace.lint("buffer")
        assert lint.diagnostics == _fresh(tmp_path, text), f"version {version}"
        assert _parsed(lint.loaded) == _parsed(load_text(text, lint.loaded.path)), f"version {version}"


def _lines_of(diagnostics) -> set:
    return {(d.rule, d.line, d.message) for d in diagnostics}


def test_lines_added_and_removed_above_a_document_move_its_findings(tmp_path):
    before = _file(TEMPLATE, CALLER, FAULTY, DOUBLED)
    grown = _file(TEMPLATE.replace("spec:\n", "# a comment\nspec:\n  # another\n"), CALLER, FAULTY, DOUBLED)
    shrunk = _file(TEMPLATE, CALLER.replace("  serviceAccountName: argo\n", ""), FAULTY, DOUBLED)
    _edited(tmp_path, [before, grown, before, shrunk, grown, before])
    moved = _lines_of(_fresh(tmp_path, grown)) - _lines_of(_fresh(tmp_path, before))
    assert {rule for rule, _, message in moved if "the first is on line" in message} == {"duplicate-name",
                                                                                        "duplicate-key"}


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


def test_hover_completion_and_quick_fixes_in_a_document_an_edit_moved(tmp_path):
    """An edit of the first document moves the characters of the others: what the editor
    asks about them is answered as for a fresh buffer."""
    before = _file(TEMPLATE, STEPS, FAULTY)
    after = _file(TEMPLATE.replace("alpine:3.20", "alpine:3.21.1"), STEPS, FAULTY)
    workspace = Workspace()
    path = str(tmp_path / "wf.yaml")
    workspace.open("buffer", path, 1, before)
    workspace.lint("buffer")
    workspace.change("buffer", 2, after)
    edited = workspace.lint("buffer")
    fresh = Workspace()
    fresh.open("buffer", path, 1, after)
    expected = fresh.lint("buffer")
    for needle, offset in (("{{steps.generate", 5), ("{{inputs.parameters.message", 3)):
        spot = _at(after, needle, offset)
        assert describe_tag(edited, *spot) == describe_tag(expected, *spot) is not None
        assert complete(edited, *spot) == complete(expected, *spot)
    fixes = [[(a.title, a.edits) for a in actions(edited, d)] for d in edited.diagnostics]
    assert fixes == [[(a.title, a.edits) for a in actions(expected, d)] for d in expected.diagnostics]
    assert any(fixes)


@pytest.mark.parametrize("edit", ["# edited", "# edited\n"])
def test_every_multi_document_file_parses_the_same_after_an_edit_of_its_first_line(edit):
    """The upstream examples, fixtures and examples with several documents (syntax errors,
    duplicate keys, anchors, flow styles...): the first line changed, or a line added,
    then undone (the other documents' parse is kept from the first version, moved by a
    line in the second case)."""
    checked = 0
    paths = [p for folder in (CORPUS, FIXTURES, os.path.join(ROOT, "examples"))
             for p in glob.glob(os.path.join(folder, "**", "*.y*ml"), recursive=True)]
    for path in sorted(paths):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        if "\n---" not in text:
            continue
        kept = KeptChunks()
        load_text(edit + text, path, chunks=kept)
        assert _parsed(load_text(text, path, chunks=kept)) == _parsed(load_text(text, path)), path
        checked += 1
    assert checked > 60


def _workspace_lint(root, path: str, text: str, others: dict = None) -> list:
    workspace = Workspace([str(root)])
    workspace.index()
    for key, other in (others or {}).items():
        workspace.open(key, key, 1, other)
    workspace.open("buffer", path, 1, text)
    return workspace.lint("buffer").diagnostics


def test_a_workflow_template_changed_on_disk(tmp_path):
    """The buffer's text is the same; the WorkflowTemplate its caller names changes on disk."""
    on_disk = tmp_path / "templates.yaml"
    on_disk.write_text(TEMPLATE, encoding="utf-8")
    path, text = str(tmp_path / "wf.yaml"), _file(CALLER, FAULTY)
    workspace = Workspace([str(tmp_path)])
    workspace.index()
    workspace.open("buffer", path, 1, text)
    assert workspace.lint("buffer").diagnostics == _workspace_lint(tmp_path, path, text)
    on_disk.write_text(TEMPLATE.replace("name: build", "name: built"), encoding="utf-8")
    assert workspace.file_changed(str(on_disk))
    after = workspace.lint("buffer").diagnostics
    assert after == _workspace_lint(tmp_path, path, text)
    assert [d for d in after if d.document == 0]


def test_a_workflow_template_changed_in_another_open_buffer(tmp_path):
    other, renamed = str(tmp_path / "templates.yaml"), TEMPLATE.replace("name: build", "name: built")
    path, text = str(tmp_path / "wf.yaml"), _file(CALLER, FAULTY)
    workspace = Workspace([str(tmp_path)])
    workspace.index()
    workspace.open(other, other, 1, TEMPLATE)
    workspace.open("buffer", path, 1, text)
    workspace.lint("buffer")
    workspace.change(other, 2, renamed)
    after = workspace.lint("buffer").diagnostics
    assert after == _workspace_lint(tmp_path, path, text, {other: renamed})
    assert [d for d in after if d.document == 0]


def test_a_configuration_file_written_beside_the_buffer(tmp_path):
    """`default-service-account` changes what a rule finds, not only what is shown."""
    path, text = str(tmp_path / "wf.yaml"), _file(TEMPLATE, CALLER, FAULTY)
    workspace = Workspace([str(tmp_path)])
    workspace.index()
    workspace.open("buffer", path, 1, text)
    before = workspace.lint("buffer").diagnostics
    config = tmp_path / ".argolint.yaml"
    config.write_text("default-service-account: robot\n", encoding="utf-8")
    assert workspace.file_changed(str(config))
    after = workspace.lint("buffer").diagnostics
    assert after == _workspace_lint(tmp_path, path, text)
    assert after != before
