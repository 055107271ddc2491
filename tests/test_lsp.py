"""End to end: `argolint lsp` in a subprocess, driven by a pytest-lsp client the way an
editor drives it. Diagnostics must be the CLI's (`--format json`), converted to LSP's
0-based positions in the negotiated encoding."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import time

import pytest
import pytest_asyncio
import pytest_lsp
from conftest import FIXTURES
from helpers import run_cli
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

LSP_FIXTURES = os.path.join(FIXTURES, "lsp")
SERVER = [sys.executable, "-m", "argolint", "lsp"]
TIMEOUT = 30  # seconds; the machine is shared, so generous


def _recording_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics it receives, in order."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.publish_event = asyncio.Event()

    def publish(ls, params: types.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)
        ls.publish_event.set()

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=_recording_client)


async def _start(lsp_client: LanguageClient, root, capabilities=None, options=None):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities or types.ClientCapabilities(),
        root_uri=from_fs_path(str(root)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="ws")],
        initialization_options=options,
    ))


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def shared_server(lsp_client: LanguageClient, tmp_path_factory):
    """One server for the tests that need no start-up state of their own (each works in
    a folder of its own and closes what it opened)."""
    lsp_client.shared_root = tmp_path_factory.mktemp("shared-workspace")
    await _start(lsp_client, lsp_client.shared_root)
    yield
    await lsp_client.shutdown_session()


@pytest_asyncio.fixture(loop_scope="module")
async def client(shared_server: LanguageClient, request):
    shared_server.root = shared_server.shared_root / request.node.name.replace("[", "-").replace("]", "")
    shared_server.root.mkdir()
    shared_server.opened = []
    yield shared_server
    for uri in shared_server.opened:
        shared_server.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))


@pytest_lsp.fixture(config=CONFIG)
async def fresh_client(lsp_client: LanguageClient, tmp_path):
    """A server started for this test alone, on a workspace folder the test fills first."""
    lsp_client.root = tmp_path
    lsp_client.opened = []
    lsp_client.start_session = lambda: _start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


# -- helpers ---------------------------------------------------------------------------------


def _copy(tmp_path, name: str, as_name: str | None = None) -> str:
    target = tmp_path / (as_name or name)
    shutil.copy(os.path.join(LSP_FIXTURES, name), target)
    return str(target)


def _open(client: LanguageClient, path: str, text: str | None = None, version: int = 1) -> str:
    uri = from_fs_path(path)
    if text is None:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=text)))
    if hasattr(client, "opened"):
        client.opened.append(uri)
    return uri


def _change_full(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def _published(client: LanguageClient, uri: str, version: int | None = None) -> types.PublishDiagnosticsParams:
    """The first publish for `uri` (of `version`, when given) after the last one this
    helper returned for `uri`."""
    deadline = time.monotonic() + TIMEOUT
    consumed = client.__dict__.setdefault("consumed", {})
    while True:
        for i in range(consumed.get(uri, 0), len(client.published)):
            p = client.published[i]
            if p.uri == uri and (version is None or p.version == version):
                consumed[uri] = i + 1
                return p
        client.publish_event.clear()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no diagnostics published for {uri} version {version}")
        try:
            await asyncio.wait_for(client.publish_event.wait(), remaining)
        except asyncio.TimeoutError:
            pass


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _line(lines: list[str], number: int) -> str:
    """Line `number` (1-based); a span may end on the line after the last one."""
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _cli_expected(path: str, encoding: str = "utf-16", subprocess: bool = False) -> list[tuple]:
    """The CLI's diagnostics for `path` as (code, range, severity, message) in LSP terms:
    from `argolint --format json` in a subprocess, or from the same engine in-process
    (faster on a busy machine). Either way the configuration is searched from the file's
    folder, as the server searches it from the document's."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    if subprocess:
        code, out, err = run_cli("--format", "json", path, cwd=os.path.dirname(path))
        assert code in (0, 1), err
        found = json.loads(out)["diagnostics"]
    else:
        from argolint.config import load_config
        from helpers import lint

        found = [d.model_dump(mode="json") for d in lint(path, config=load_config(start=os.path.dirname(path)))]
    severity = {"error": 1, "warning": 2, "info": 3}
    expected = []
    for d in found:
        start = (d["line"] - 1, _units(_line(lines, d["line"])[: d["column"] - 1], encoding))
        end = (d["end_line"] - 1, _units(_line(lines, d["end_line"])[: d["end_column"] - 1], encoding))
        message = d["message"] + (f"; {d['hint']}" if d["hint"] else "")
        expected.append((d["rule"], start, end, severity[d["severity"]], message))
    return expected


def _cli_expected_text(root, name: str, text: str, encoding: str = "utf-16") -> list[tuple]:
    """The CLI's diagnostics for `text` saved as `name` in a folder of its own."""
    folder = root / "cli-copy"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return _cli_expected(str(folder / name), encoding)


def _as_tuples(diagnostics) -> list[tuple]:
    return [(d.code, (d.range.start.line, d.range.start.character), (d.range.end.line, d.range.end.character),
             d.severity.value, d.message) for d in diagnostics]


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to `text`."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return before + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def _diagnostic(diagnostics, code: str, line: int):
    return next(d for d in diagnostics if d.code == code and d.range.start.line == line)


# -- diagnostics -----------------------------------------------------------------------------


@pytest.mark.asyncio(loop_scope="module")
async def test_published_diagnostics_match_the_cli(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    published = await _published(client, uri, 1)
    assert _as_tuples(published.diagnostics) == _cli_expected(path, subprocess=True)
    assert {d.source for d in published.diagnostics} == {"argolint"}
    # Line 12 is `    - - {name: "héllo-🚀", template: prnt}`: 'prnt' starts at code point 36,
    # but at UTF-16 unit 37, because the emoji takes two units.
    prnt = _diagnostic(published.diagnostics, "unknown-template", 11)
    assert (prnt.range.start.character, prnt.range.end.character) == (37, 41)
    assert prnt.severity == types.DiagnosticSeverity.Error
    assert prnt.message.endswith("did you mean 'print'?")


@pytest.mark.asyncio(loop_scope="module")
async def test_fixing_a_mistake_clears_its_diagnostic(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    first = await _published(client, uri, 1)
    assert ("unknown-template", 7) in {(d.code, d.range.start.line) for d in first.diagnostics}
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(7, 14), types.Position(7, 18)), text="main")]))
    second = await _published(client, uri, 2)
    assert ("unknown-template", 7) not in {(d.code, d.range.start.line) for d in second.diagnostics}
    fixed = open(path, encoding="utf-8").read().replace("entrypoint: mian", "entrypoint: main")
    assert _as_tuples(second.diagnostics) == _cli_expected_text(client.root, "mistakes.yaml", fixed)


@pytest.mark.asyncio(loop_scope="module")
async def test_save_lints_and_close_clears(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    await _published(client, uri, 1)
    _change_full(client, uri, 2, open(path, encoding="utf-8").read().replace("mian", "main"))
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    saved = await _published(client, uri, 2)
    assert "unknown-template" in {d.code for d in saved.diagnostics}
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    closed = await _published(client, uri)
    assert list(closed.diagnostics) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_pull_diagnostics(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert report.kind == "full"
    assert _as_tuples(report.items) == _cli_expected(path)
    again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
    assert again.kind == "unchanged" and again.result_id == report.result_id
    _change_full(client, uri, 2, open(path, encoding="utf-8").read().replace("prnt", "print"))
    changed = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
    assert changed.kind == "full"
    assert ("unknown-template", 11) not in {(d.code, d.range.start.line) for d in changed.items}
    fixed = open(path, encoding="utf-8").read().replace("prnt", "print")
    assert _as_tuples(changed.items) == _cli_expected_text(client.root, "mistakes.yaml", fixed)


@pytest.mark.asyncio(loop_scope="module")
async def test_documents_that_are_not_argo_get_no_diagnostics(client: LanguageClient):
    compose = client.root / "docker-compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx\n    image: httpd\n", encoding="utf-8")
    uri = _open(client, str(compose))
    assert list((await _published(client, uri, 1)).diagnostics) == []
    broken = client.root / "broken-config.yaml"
    broken.write_text("kind: ConfigMap\ndata: [\n", encoding="utf-8")
    uri = _open(client, str(broken))
    assert list((await _published(client, uri, 1)).diagnostics) == []
    # A Markdown file quoting a broken manifest is not linted at all.
    readme = client.root / "README.md"
    readme.write_text("```yaml\nkind: Workflow\nspec: [\n```\n", encoding="utf-8")
    uri = from_fs_path(str(readme))
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=readme.read_text(encoding="utf-8"))))
    client.opened.append(uri)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert list(report.items) == []
    assert uri not in {p.uri for p in client.published}


@pytest.mark.asyncio(loop_scope="module")
async def test_a_workflow_that_does_not_parse_shows_the_syntax_error(client: LanguageClient):
    path = client.root / "wf.yaml"
    path.write_text("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates: [\n", encoding="utf-8")
    uri = _open(client, str(path))
    published = await _published(client, uri, 1)
    assert _as_tuples(published.diagnostics) == _cli_expected(str(path))
    assert [d.code for d in published.diagnostics] == ["yaml-syntax"]


@pytest.mark.asyncio(loop_scope="module")
async def test_configuration_applies(client: LanguageClient):
    (client.root / ".argolint.yaml").write_text("ignore: [missing-service-account]\n", encoding="utf-8")
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    published = await _published(client, uri, 1)
    assert "missing-service-account" not in {d.code for d in published.diagnostics}
    assert "unknown-template" in {d.code for d in published.diagnostics}


@pytest.mark.asyncio(loop_scope="module")
async def test_a_broken_configuration_is_reported_and_the_defaults_used(client: LanguageClient, tmp_path_factory):
    (client.root / ".argolint.yaml").write_text("selct: [unknown-template]\n", encoding="utf-8")
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    published = await _published(client, uri, 1)
    defaults = _copy(tmp_path_factory.mktemp("no-config"), "mistakes.yaml")
    assert _as_tuples(published.diagnostics) == _cli_expected(defaults)
    warning = next(m for m in client.messages if m.type == types.MessageType.Warning)
    assert "'selct': unknown key; did you mean 'select'?" in warning.message
    assert warning.message.endswith("linting with the default configuration")


# -- other files: templateRef targets on disk and in open buffers ------------------------------

WORKFLOW_TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: shared
spec:
  serviceAccountName: argo-workflow
  templates:
  - name: {name}
    container:
      image: alpine:3.20
"""

WORKFLOW_USING_IT = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: uses-shared-
spec:
  serviceAccountName: argo-workflow
  entrypoint: build
  workflowTemplateRef:
    name: shared
"""


@pytest.mark.asyncio
async def test_workspace_files_are_indexed_and_reindexed_when_changed(fresh_client: LanguageClient):
    client = fresh_client
    template = client.root / "templates" / "shared.yaml"
    template.parent.mkdir()
    template.write_text(WORKFLOW_TEMPLATE.format(name="biuld"), encoding="utf-8")
    path = client.root / "wf.yaml"
    path.write_text(WORKFLOW_USING_IT, encoding="utf-8")
    await client.start_session()
    uri = _open(client, str(path))
    first = await _published(client, uri, 1)
    # The entrypoint is checked against the WorkflowTemplate found on disk.
    assert [(d.code, d.message) for d in first.diagnostics] == [
        ("unknown-template", "entrypoint 'build' is not a template of this workflow; did you mean 'biuld'?")]
    template.write_text(WORKFLOW_TEMPLATE.format(name="build"), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=from_fs_path(str(template)), type=types.FileChangeType.Changed)]))
    second = await _published(client, uri, 1)
    assert list(second.diagnostics) == []


@pytest.mark.asyncio
async def test_other_open_documents_are_indexed_as_edited(fresh_client: LanguageClient):
    client = fresh_client
    template = client.root / "shared.yaml"
    template.write_text(WORKFLOW_TEMPLATE.format(name="build"), encoding="utf-8")
    path = client.root / "wf.yaml"
    path.write_text(WORKFLOW_USING_IT, encoding="utf-8")
    await client.start_session()
    uri = _open(client, str(path))
    assert list((await _published(client, uri, 1)).diagnostics) == []
    template_uri = _open(client, str(template), WORKFLOW_TEMPLATE.format(name="build"))
    await _published(client, template_uri, 1)
    _change_full(client, template_uri, 2, WORKFLOW_TEMPLATE.format(name="compile"))
    # The unsaved buffer, not the file on disk, is what the workflow is checked against.
    relinted = await _published(client, uri, 1)
    assert [d.message for d in relinted.diagnostics] == [
        "entrypoint 'build' is not a template of this workflow; templates here: 'compile'"]


# -- hover, code actions, completion -----------------------------------------------------------


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_on_a_diagnostic_shows_the_message_hint_and_one_line_on_the_rule(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    await _published(client, uri, 1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(11, 39)))
    assert hover is not None
    text = hover.contents.value
    assert "`unknown-template`" in text and "did you mean 'print'?" in text
    assert text.endswith("\n\nA reference to a template that does not exist. More: `argolint explain unknown-template`.")
    assert "## What it does" not in text and len(text.splitlines()) == 3
    assert hover.range == types.Range(types.Position(11, 37), types.Position(11, 41))
    # a plain key: the field's description from Argo's schema
    key = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(2, 3)))
    assert key.contents.value.startswith("`apiVersion` (Workflow.apiVersion): APIVersion defines")
    assert key.range == types.Range(types.Position(2, 0), types.Position(2, 10))
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 3)))
    assert nothing is None  # a comment


async def _actions(client, uri, diagnostic):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))


@pytest.mark.asyncio(loop_scope="module")
async def test_code_action_fixes_a_typo(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    text = open(path, encoding="utf-8").read()
    uri = _open(client, path, text)
    first = await _published(client, uri, 1)
    typo = _diagnostic(first.diagnostics, "unknown-template", 11)
    actions = await _actions(client, uri, typo)
    fix = next(a for a in actions if a.title == "Replace with 'print'")
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert list(fix.diagnostics) == [typo]
    fixed = _apply(text, fix.edit.changes[uri])
    assert '    - - {name: "héllo-🚀", template: print}\n' in fixed
    _change_full(client, uri, 2, fixed)
    second = await _published(client, uri, 2)
    assert not [d for d in second.diagnostics if d.range.start.line == 11 and d.code == "unknown-template"]
    assert _as_tuples(second.diagnostics) == _cli_expected_text(client.root, "mistakes.yaml", fixed)


@pytest.mark.asyncio(loop_scope="module")
async def test_code_actions_add_a_service_account_and_ignore_a_line(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    text = open(path, encoding="utf-8").read()
    uri = _open(client, path, text)
    first = await _published(client, uri, 1)
    warning = _diagnostic(first.diagnostics, "missing-service-account", 6)
    actions = await _actions(client, uri, warning)
    assert [a.title for a in actions] == ["Add serviceAccountName: argo-workflow",
                                          "Ignore 'missing-service-account' on this line"]
    with_account = _apply(text, actions[0].edit.changes[uri])
    assert "  entrypoint: mian\n  serviceAccountName: argo-workflow\n  templates:\n" in with_account
    ignored = _apply(text, actions[1].edit.changes[uri])
    assert "\nspec:  # argolint: ignore[missing-service-account]\n" in ignored
    for version, fixed in ((2, with_account), (3, ignored)):
        _change_full(client, uri, version, fixed)
        published = await _published(client, uri, version)
        assert "missing-service-account" not in {d.code for d in published.diagnostics}
        assert _as_tuples(published.diagnostics) == _cli_expected_text(client.root, "mistakes.yaml", fixed)


@pytest.mark.asyncio(loop_scope="module")
async def test_code_actions_ignore_diagnostics_of_other_tools(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    first = await _published(client, uri, 1)
    foreign = types.Diagnostic(range=first.diagnostics[0].range, message="x", source="yamllint", code="indentation")
    assert await _actions(client, uri, foreign) is None


FIXABLE = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: fixable-
spec:
  entrypoint: mian
  templates:
  - name: main
    steps:
    - - name: one
        template: pirnt
        arguments: {parameters: [{name: mesage, value: "{{workflow.parameters.greting}}"}]}
  - name: print
    inputs: {parameters: [{name: message}]}
    container: {image: alpine:3.20, args: [yes]}
  arguments:
    parameters: [{name: greeting, value: hi}]
"""


@pytest.mark.asyncio(loop_scope="module")
async def test_code_actions_are_the_edits_argolint_fix_applies(client: LanguageClient):
    from argolint.api import lint_text

    path = os.path.join(str(client.root), "fixable.yaml")
    uri = _open(client, path, FIXABLE)
    published = await _published(client, uri, 1)
    cli = {(d.rule, d.line - 1, d.column - 1): d for d in lint_text(FIXABLE, filename=path)}
    assert {"unknown-template", "unknown-variable", "invalid-type",
            "missing-service-account"} <= {rule for rule, _, _ in cli}
    for sent in published.diagnostics:
        expected = cli[sent.code, sent.range.start.line, sent.range.start.character]
        actions = await _actions(client, uri, sent)
        fixes = [a for a in actions if not a.title.startswith("Ignore")]
        assert [(a.title, [(e.range.start.line + 1, e.range.start.character + 1, e.range.end.line + 1,
                            e.range.end.character + 1, e.new_text) for e in a.edit.changes[uri]]) for a in fixes] == \
            [(e.title, [(e.span.line, e.span.column, e.span.end_line, e.span.end_column, e.text)])
             for e in expected.edits]


@pytest.mark.asyncio(loop_scope="module")
async def test_fix_all_is_a_source_action_applying_the_safe_edits_of_a_pass(client: LanguageClient, tmp_path):
    from argolint.cli.fix import run_fixes
    from argolint.config import Config

    path = os.path.join(str(client.root), "fix-all.yaml")
    uri = _open(client, path, FIXABLE)
    await _published(client, uri, 1)
    asked = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(types.Position(0, 0),
                                                                                 types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
    [fix_all] = asked
    assert fix_all.kind == "source.fixAll.argolint"
    (tmp_path / "fix-all.yaml").write_text(FIXABLE)
    # one pass, as the editor lints again after applying it
    run = run_fixes([str(tmp_path / "fix-all.yaml")], Config(), [], "-", unsafe=False, passes=1)
    assert _apply(FIXABLE, fix_all.edit.changes[uri]) == run.after[str(tmp_path / "fix-all.yaml")].decode()
    quick_fixes_only = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(types.Position(0, 0),
                                                                                 types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix])))
    assert quick_fixes_only is None


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_on_a_tag_tells_what_it_refers_to(client: LanguageClient):
    path = _copy(client.root, "mistakes.yaml")
    uri = _open(client, path)
    await _published(client, uri, 1)
    # line 18: `            value: "{{steps.héllo-🚀.outputs.result}}"`
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(17, 30)))
    assert hover.contents.value.startswith("`steps.héllo-🚀.outputs.result`: step `héllo-🚀` (group 1)")
    # the tag is 32 code points long, 33 UTF-16 units
    assert hover.range == types.Range(types.Position(17, 20), types.Position(17, 53))


COMPLETION = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: complete-
spec:
  serviceAccountName: argo-workflow
  entrypoint: main
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
            value: "{{steps.}}"
  - name: gen
    outputs:
      parameters:
      - name: out
        valueFrom: {path: /tmp/out}
    container: {image: "alpine:3.20"}
  - name: print
    inputs:
      parameters:
      - name: message
    container: {image: "alpine:3.20", args: ["{{inputs.parameters.message}}"]}
"""


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_after_steps(client: LanguageClient):
    path = client.root / "wf.yaml"
    uri = _open(client, str(path), COMPLETION)
    await _published(client, uri, 1)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(17, 28),
        context=types.CompletionContext(trigger_kind=types.CompletionTriggerKind.TriggerCharacter,
                                        trigger_character=".")))
    labels = [item.label for item in result.items]
    assert "steps.generate.outputs.parameters.out" in labels and "steps.generate.outputs.result" in labels
    assert not [label for label in labels if label.startswith("steps.show.outputs")]
    chosen = next(item for item in result.items if item.label == "steps.generate.outputs.parameters.out")
    assert chosen.text_edit.range == types.Range(types.Position(17, 28), types.Position(17, 28))
    assert chosen.filter_text == chosen.text_edit.new_text == "generate.outputs.parameters.out"
    completed = _apply(COMPLETION, [chosen.text_edit])
    assert 'value: "{{steps.generate.outputs.parameters.out}}"' in completed
    _change_full(client, uri, 2, completed)
    assert list((await _published(client, uri, 2)).diagnostics) == []


# -- editors' real capability sets: encodings, push or pull -----------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("editor", ["visual-studio-code", "neovim@v0.11.0", "emacs"])
async def test_editor_capability_sets(editor, tmp_path):
    """Each editor's capabilities (as pytest-lsp records them) pick a position encoding and
    push or pull; the ranges must match the CLI in that encoding either way."""
    client = await CONFIG.start()
    try:
        capabilities = client_capabilities(editor)
        result = await client.initialize_session(types.InitializeParams(
            capabilities=capabilities, root_uri=from_fs_path(str(tmp_path))))
        encoding = str(getattr(result.capabilities.position_encoding, "value", result.capabilities.position_encoding)
                       or "utf-16")
        path = _copy(tmp_path, "mistakes.yaml")
        uri = _open(client, path)
        pulls = capabilities.text_document is not None and capabilities.text_document.diagnostic is not None
        if pulls:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
            items = report.items
        else:
            items = (await _published(client, uri, 1)).diagnostics
        assert _as_tuples(items) == _cli_expected(path, encoding)
        if pulls:
            await asyncio.sleep(0.3)
            assert client.published == [], "a client that pulls must not also get pushed diagnostics"
        await client.shutdown_session()
    finally:
        await client.stop()


# -- typing a whole manifest, one character per change ------------------------------------------


def _expected_for(root, text: str) -> list[tuple]:
    """What the server should publish for one version of the buffer: the CLI's diagnostics,
    or none when the text is not (yet) an Argo manifest."""
    from argolint.load.loader import load_text
    from argolint.lsp.workspace import is_reportable

    if not is_reportable(load_text(text, "typed.yaml")):
        return []
    return _cli_expected_in_process(root, text)


def _cli_expected_in_process(root, text: str) -> list[tuple]:
    from helpers import lint_text

    lines = text.split("\n")
    severity = {"error": 1, "warning": 2, "info": 3}
    out = []
    for d in lint_text(root / "cli-copy", text, name="typed.yaml"):
        start = (d.line - 1, _units(_line(lines, d.line)[: d.column - 1], "utf-16"))
        end = (d.end_line - 1, _units(_line(lines, d.end_line)[: d.end_column - 1], "utf-16"))
        out.append((d.rule, start, end, severity[d.severity.value], d.message + (f"; {d.hint}" if d.hint else "")))
    return out


@pytest.mark.asyncio
async def test_typing_a_300_line_manifest_one_character_at_a_time(fresh_client: LanguageClient):
    """Every character is one incremental didChange (UTF-16 positions, so the emoji in the
    manifest counts twice), far faster than anyone types. The server keeps answering hovers
    while it is typed to; when the typist pauses (every 500 characters) the version typed so
    far gets its diagnostics; every result it publishes is for a version newer than the one
    before and equals the CLI's diagnostics for that version's text; the last one is for
    the last version."""
    with open(os.path.join(LSP_FIXTURES, "workflow-300.yaml"), encoding="utf-8") as fh:
        target = fh.read()
    assert target.count("\n") >= 290
    client = fresh_client
    await client.start_session()
    (client.root / "cli-copy").mkdir()
    path = client.root / "typed.yaml"
    uri = _open(client, str(path), "")
    texts = {1: ""}
    text, line, units, version = "", 0, 0, 1
    for i, ch in enumerate(target):
        version += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, units), types.Position(line, units)), text=ch)]))
        text += ch
        texts[version] = text
        if ch == "\n":
            line, units = line + 1, 0
        else:
            units += _units(ch, "utf-16")
        if i % 25 == 0:
            await asyncio.sleep(0.01)  # let the server catch up now and then, as a typist would
        if i % 1500 == 0:
            hover = client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0)))
            await asyncio.wait_for(hover, TIMEOUT)  # still answering
        if i % 500 == 499:
            await _published(client, uri, version)  # a pause: the version typed so far gets its diagnostics
    last = await _published(client, uri, version)
    assert _as_tuples(last.diagnostics) == _expected_for(client.root, target)

    ours = [p for p in client.published if p.uri == uri]
    versions = [p.version for p in ours]
    assert versions == sorted(versions) and len(set(versions)) == len(versions), "a stale version was published"
    assert versions[-1] == version
    step = max(1, len(ours) // 40)  # check a spread of them (each costs a lint here)
    for published in ours[::step]:
        assert _as_tuples(published.diagnostics) == _expected_for(client.root, texts[published.version]), \
            f"version {published.version}"
    assert not [m for m in client.log_messages if m.type == types.MessageType.Error]


# -- issue 17: history, Helm buffers ------------------------------------------------------------

from test_project_context import WORKFLOW as FOLDERLESS_WORKFLOW  # noqa: E402  serviceAccountName: builder


@pytest_lsp.fixture(config=CONFIG)
async def folderless_client(lsp_client: LanguageClient, tmp_path):
    """A server started without workspace folders (an editor opening single files)."""
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_without_folders_a_closed_file_leaves_the_index(folderless_client: LanguageClient):
    client = folderless_client
    rbac = client.root / "rbac.yaml"
    rbac.write_text("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n", encoding="utf-8")
    rbac_uri = _open(client, str(rbac))
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=rbac_uri)))
    wf = client.root / "wf.yaml"
    wf.write_text(FOLDERLESS_WORKFLOW, encoding="utf-8")
    uri = _open(client, str(wf))
    published = await _published(client, uri, 1)
    # the closed RBAC file no longer counts: no service-account-not-found for 'builder'
    assert list(published.diagnostics) == []


@pytest.mark.asyncio
async def test_a_helm_buffer_is_not_linted(folderless_client: LanguageClient):
    client = folderless_client
    chart = client.root / "workflow.yaml"
    chart.write_text(FOLDERLESS_WORKFLOW.replace("main\n  service", "{{ .Values.entry }}\n  service"),
                     encoding="utf-8")
    helm_uri = from_fs_path(str(chart))
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=helm_uri, language_id="helm", version=1, text=chart.read_text(encoding="utf-8"))))
    other = client.root / "other.yaml"
    other.write_text(FOLDERLESS_WORKFLOW.replace("entrypoint: main", "entrypoint: mian"), encoding="utf-8")
    uri = _open(client, str(other))
    assert [d.code for d in (await _published(client, uri, 1)).diagnostics] == ["unknown-template"]
    assert [p for p in client.published if p.uri == helm_uri] == []
