"""`argolint lsp`: a language server (pygls 2, stdio) over the CLI's engine and config.

Diagnostics: a client that can pull them (LSP 3.17 `textDocument/diagnostic`) gets them
that way only; any other client gets them pushed on open, on change (debounced) and on
save. A lint always runs against one version of the buffer and its result is published
only if that version is still the latest when it finishes; changes that arrive during a
lint are coalesced into one more lint.

Threads: pygls runs the handlers on its asyncio loop. Parsing and linting run on one worker
thread that owns the `Workspace` state, so lints never overlap and the loop keeps reading
messages (and answering hovers) while one runs. Everything that touches the client
(publishing, responses) happens back on the loop. A lint is cancelled between templates
when its version is superseded, and a large document's lint (over BIG_BUFFER_CHARS) gives
way to a smaller document's and runs again after it, so one 5 MB file never holds the
diagnostics of the others up for seconds.

This module and its message loop (`argolint.lsp.framing`) are the only ones that import
pygls and lsprotocol.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from argolint import __version__
from argolint.diagnostics import Diagnostic, Severity, Span
from argolint.lsp.collector import IdleCollector
from argolint.lsp.positions import UTF16, encoding_name, from_client, to_client
from argolint.lsp.actions import FIX_ALL_KIND
from argolint.lsp.workspace import BufferLint, Workspace
from argolint.load.files import EXTENSIONS

logger = logging.getLogger("argolint.lsp.server")

DEBOUNCE_SECONDS = 0.025  # after a change, before linting it
OTHERS_SECONDS = 0.4  # after a change, before re-linting the other open documents
MAX_CATCH_UP = 3  # lints in a row for one pull request while the buffer keeps changing

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
UNNECESSARY = frozenset({"unused-template", "unused-suppression"})
LANGUAGES = frozenset({"yaml", "json", "jsonc"})  # language ids of the documents linted
NOT_LINTED = frozenset({"helm", "gotmpl", "markdown"})  # never linted, whatever the file's extension


# A lint of a buffer this large (characters) gives way to a smaller document's.
BIG_BUFFER_CHARS = 1 << 20


class _LintJob:
    """One lint of one version of a document, which the loop may cancel while it runs."""

    __slots__ = ("uri", "version", "size", "cancel")

    def __init__(self, uri: str, version: int, size: int):
        self.uri, self.version, self.size = uri, version, size
        self.cancel = threading.Event()


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class ArgolintLanguageServer(LanguageServer):
    def __init__(self):
        super().__init__("argolint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.state = Workspace()
        self.collector = IdleCollector()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argolint-lint")
        self.debounce = DEBOUNCE_SECONDS
        self.push = True
        self.encoding = UTF16
        self.keys: dict[str, str] = {}  # URI of an open document -> Workspace key
        self.paths: dict[str, str] = {}  # URI -> file path (or the URI when it is not a file)
        self.lints: dict[str, BufferLint] = {}  # URI -> its latest finished lint
        self.last_change: dict[str, float] = {}  # URI -> loop time of its last change
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: dict[str, asyncio.Task] = {}
        self._rerun: set[str] = set()
        self._others: Optional[asyncio.TimerHandle] = None
        self._published: dict[str, tuple] = {}
        self._shown_errors: set[str] = set()
        self._running: Optional[_LintJob] = None  # the lint on the worker thread now
        self._waiting: set = set()  # lints submitted to the worker and not started yet

    def start_io(self, stdin=None, stdout=None) -> None:
        """Serve on stdio with argolint's message loop (argolint.lsp.framing), which
        survives bad framing and answers malformed messages with JSON-RPC errors."""
        from threading import Event

        from pygls.io_ import StdoutWriter

        from argolint.lsp.framing import serve

        self._stop_event = Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(serve(self.protocol, stdin or sys.stdin.buffer, self.thread_pool, self._stop_event))
        except BrokenPipeError:
            logger.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    # -- running work on the worker thread ----------------------------------------------

    def submit(self, fn, *args, log_failure: bool = True) -> asyncio.Future:
        """Queue `fn(*args)` on the worker now (so queued work keeps its order); a failure
        is logged unless the caller handles it."""
        future = asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)
        if log_failure:
            future.add_done_callback(self._log_failure)
        return future

    def _log_failure(self, future) -> None:
        if not future.cancelled() and future.exception() is not None:
            exc = future.exception()
            self.log(f"argolint language server bug: {''.join(traceback.format_exception(exc)).strip()}",
                     types.MessageType.Error)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        logger.log(logging.ERROR if kind == types.MessageType.Error else logging.INFO, message)
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # no client yet, or it went away
            pass

    # -- documents -----------------------------------------------------------------------

    def document(self, uri: str):
        """The open document `uri` as pygls keeps it, or None once closed."""
        return self.workspace.get_text_document(uri) if uri in self.keys else None

    def _lint_job(self, job: "_LintJob", key: str, path: str, text: str) -> BufferLint:
        from argolint.lint.engine import Cancelled

        self._waiting.discard(job)
        doc = self.document(job.uri)
        if job.cancel.is_set() or (doc is not None and doc.version != job.version):
            raise Cancelled()  # superseded while it waited: the newer version is linted instead
        if job.size > BIG_BUFFER_CHARS and any(other.uri != job.uri and other.size < job.size
                                               for other in list(self._waiting)):
            raise Cancelled()  # smaller documents wait behind it: they go first
        self._running = job
        try:
            if key in self.state.buffers:
                self.state.change(key, job.version, text)
            else:
                self.state.open(key, path, job.version, text)
            return self.state.lint(key, job.cancel.is_set)
        finally:
            self._running = None

    def _preempt(self, job: "_LintJob") -> None:
        """Stop the running lint if `job` makes it pointless (an older version of the same
        document) or if it is a large document's and `job` is a smaller one's, which
        should not wait seconds for it (the large one is linted again after it)."""
        running = self._running
        if running is None or running is job:
            return
        if running.uri == job.uri or (running.size > BIG_BUFFER_CHARS and job.size < running.size):
            running.cancel.set()

    async def lint(self, uri: str) -> Optional[BufferLint]:
        """Lint the current version of `uri` (None if it is closed meanwhile)."""
        from argolint.lint.engine import Cancelled

        while True:
            doc = self.document(uri)
            if doc is None:
                return None
            job = _LintJob(uri, doc.version, len(doc.source))
            self._preempt(job)
            self._waiting.add(job)
            try:
                lint = await self.submit(self._lint_job, job, self.keys[uri], self.paths[uri], doc.source,
                                         log_failure=False)
            except Cancelled:
                continue  # superseded, or made way for a smaller document: lint the latest again
            finally:
                self._waiting.discard(job)
            break
        self.collector.lint_done()
        previous = self.lints.get(uri)
        if uri in self.keys and (previous is None or (previous.version or 0) <= (lint.version or 0)):
            self.lints[uri] = lint
        if lint.config_error and lint.config_error not in self._shown_errors:
            self._shown_errors.add(lint.config_error)
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=f"argolint: {lint.config_error}; linting with the default configuration"))
        return lint

    def is_current(self, uri: str, lint: BufferLint) -> bool:
        doc = self.document(uri)
        return doc is not None and doc.version == lint.version

    async def current_lint(self, uri: str) -> Optional[BufferLint]:
        """A lint of the current version: the last one if it is, else a fresh one."""
        lint = self.lints.get(uri)
        if lint is not None and self.is_current(uri, lint):
            return lint
        return await self.lint(uri)

    # -- push: debounced lints, published only while current ------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = asyncio.get_running_loop().call_later(delay, self._start, uri)

    def _start(self, uri: str) -> None:
        self._timers.pop(uri, None)
        if uri not in self.keys:
            return
        task = self._tasks.get(uri)
        if task is not None and not task.done():
            self._rerun.add(uri)  # the running lint is of an older version: lint again after it
            return
        self._tasks[uri] = asyncio.ensure_future(self._lint_and_publish(uri))

    async def _lint_and_publish(self, uri: str) -> None:
        try:
            while True:
                self._rerun.discard(uri)
                lint = await self.lint(uri)
                if lint is None:
                    return
                if self.is_current(uri, lint):
                    self.publish(uri, lint)
                if uri not in self._rerun:
                    return
        except Exception as exc:
            self.log(f"argolint: linting {uri} failed: {''.join(traceback.format_exception(exc)).strip()}",
                     types.MessageType.Error)
        finally:
            if self._tasks.get(uri) is asyncio.current_task():
                del self._tasks[uri]

    def publish(self, uri: str, lint: BufferLint) -> None:
        items = self.to_lsp(lint)
        fingerprint = (lint.version, repr(items))
        if self._published.get(uri) == fingerprint:
            return
        self._published[uri] = fingerprint
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=lint.version, diagnostics=items))

    def relint_others(self, origin: Optional[str], delay: float = OTHERS_SECONDS) -> None:
        """Re-lint every open document but `origin` once changes settle; pull clients are
        asked to pull again instead."""
        if self._others is not None:
            self._others.cancel()

        def fire():
            self._others = None
            if not self.push:
                self.refresh_pull()
                return
            for uri in list(self.keys):
                if uri != origin:
                    self._start(uri)

        self._others = asyncio.get_running_loop().call_later(delay, fire)

    def refresh_pull(self) -> None:
        workspace = self.client_capabilities.workspace
        diagnostics = workspace.diagnostics if workspace is not None else None
        if diagnostics is not None and diagnostics.refresh_support:
            self.workspace_diagnostic_refresh(None)

    # -- conversions -----------------------------------------------------------------------

    def position(self, lines: list[str], line: int, column: int, bom: bool) -> types.Position:
        """LSP position of a 1-based code-point line/column of the loaded text."""
        text = lines[line - 1] if 0 < line <= len(lines) else ""  # past the end: an empty line
        if bom and line == 1:
            column += 1
        return types.Position(line=max(0, line - 1), character=to_client(text, column, self.encoding))

    def range(self, lint: BufferLint, span: Span, lines: Optional[list[str]] = None) -> types.Range:
        lines = lines if lines is not None else _lines(lint.text)
        bom = lint.text.startswith("\ufeff")
        return types.Range(start=self.position(lines, span.line, span.column, bom),
                           end=self.position(lines, span.end_line, span.end_column, bom))

    def from_position(self, lint: BufferLint, position: types.Position) -> tuple[int, int]:
        """1-based code-point line/column (of the loaded text) of an LSP position."""
        lines = _lines(lint.text)
        text = lines[position.line] if position.line < len(lines) else ""
        column = from_client(text, position.character, self.encoding)
        if position.line == 0 and lint.text.startswith("\ufeff"):
            column = max(1, column - 1)
        return position.line + 1, column

    def to_lsp(self, lint: BufferLint) -> list[types.Diagnostic]:
        lines = _lines(lint.text)
        return [self.diagnostic(lint, d, lines) for d in lint.diagnostics]

    def diagnostic(self, lint: BufferLint, d: Diagnostic, lines: list[str]) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.range(lint, d.span, lines),
            message=d.message + (f"; {d.hint}" if d.hint else ""),
            severity=SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
            code=d.rule,
            source="argolint",
            tags=[types.DiagnosticTag.Unnecessary] if d.rule in UNNECESSARY else None,
        )


server = ArgolintLanguageServer()


def _contains(span: Span, line: int, column: int) -> bool:
    start, end = (span.line, span.column), (span.end_line, span.end_column)
    return start <= (line, column) < end or start == end == (line, column)


# -- life cycle ------------------------------------------------------------------------------


@server.feature(types.INITIALIZE)
def initialize(ls: ArgolintLanguageServer, params: types.InitializeParams) -> None:
    options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    debounce = options.get("debounceMs")
    if isinstance(debounce, (int, float)) and 0 <= debounce <= 10_000:
        ls.debounce = debounce / 1000
    text_document = params.capabilities.text_document
    ls.push = text_document is None or text_document.diagnostic is None
    ls.encoding = encoding_name(ls.workspace.position_encoding)
    roots = [to_fs_path(f.uri) for f in params.workspace_folders or []]
    if not roots and params.root_uri:
        roots = [to_fs_path(params.root_uri)]
    elif not roots and params.root_path:
        roots = [params.root_path]
    ls.state.roots = [os.path.realpath(r) for r in roots if r]


@server.feature(types.INITIALIZED)
def initialized(ls: ArgolintLanguageServer, params: types.InitializedParams) -> None:
    ls.submit(ls.state.warm_up)
    indexing = ls.submit(ls.state.index)
    ls.submit(ls.collector.settle)  # after the index, on the worker: the start-up heap is frozen

    def report(future):
        if not future.cancelled() and future.exception() is None:
            more = " (stopped early: too many files)" if ls.state.truncated else ""
            ls.log(f"argolint: indexed {len(ls.state.disk)} manifests under {', '.join(ls.state.roots) or '-'}{more}")

    indexing.add_done_callback(report)
    watched = ls.client_capabilities.workspace
    watched = watched.did_change_watched_files if watched is not None else None
    if watched is not None and watched.dynamic_registration:
        globs = ("**/*.yaml", "**/*.yml", "**/*.json", "**/.argolint.yaml", "**/.argolint.yml", "**/pyproject.toml")
        watchers = [types.FileSystemWatcher(glob_pattern=g) for g in globs]
        ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="argolint-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


@server.feature(types.SHUTDOWN)
def shutdown(ls: ArgolintLanguageServer, params) -> None:
    for timer in ls._timers.values():
        timer.cancel()
    ls._timers.clear()
    if ls._others is not None:
        ls._others.cancel()


# -- documents -------------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ArgolintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = to_fs_path(uri) if uri.startswith("file:") else None
    language = params.text_document.language_id
    if language in NOT_LINTED or (language not in LANGUAGES and not (path or "").endswith(EXTENSIONS)):
        return  # e.g. Markdown quoting a manifest, or a Helm template ("helm"): not ours
    ls.paths[uri] = os.path.abspath(path) if path else uri
    ls.keys[uri] = os.path.realpath(path) if path else uri
    if ls.push:
        ls.schedule(uri, 0)
    if len(ls.keys) > 1:
        ls.relint_others(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ArgolintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri not in ls.keys:
        return
    running = ls._running
    if running is not None and running.uri == uri:
        running.cancel.set()  # linting a version that is gone: stop at the next template
    if ls.push:
        # The first change after a pause is linted at once; changes that follow it closely
        # (typing) wait until none has come for `debounce` seconds.
        now = asyncio.get_running_loop().time()
        idle = now - ls.last_change.get(uri, float("-inf")) > ls.debounce
        ls.last_change[uri] = now
        ls.schedule(uri, 0 if idle else ls.debounce)
    if len(ls.keys) > 1:
        ls.relint_others(uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ArgolintLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.keys and ls.push:
        ls.schedule(uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ArgolintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    key, path = ls.keys.pop(uri, None), ls.paths.pop(uri, None)
    timer = ls._timers.pop(uri, None)
    if timer is not None:
        timer.cancel()
    ls.lints.pop(uri, None)
    ls.last_change.pop(uri, None)
    if key is None:
        return

    def close():
        from argolint.analysis.templating.tags import release_scans

        ls.state.close(key)
        release_scans()  # the closed document's strings are most of what the cache holds
        if os.path.isabs(path or "") and ls.state.covers(path):
            ls.state.file_changed(path)  # its saved text now stands for it in the index
        # outside the workspace folders a closed file leaves the index: diagnostics must not
        # depend on which files were once open

    ls.submit(close)
    if ls.push and ls._published.pop(uri, None) is not None:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.relint_others(uri)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: ArgolintLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
    events = [(to_fs_path(c.uri), c.type) for c in params.changes if c.uri.startswith("file:")]

    def apply():
        changed = False
        for path, kind in events:
            if path is None:
                continue
            if kind == types.FileChangeType.Deleted:
                changed |= ls.state.file_deleted(path)
            else:
                changed |= ls.state.file_changed(path)
        return changed

    def done(future):
        if not future.cancelled() and future.exception() is None and future.result():
            ls.relint_others(None, 0)

    ls.submit(apply).add_done_callback(done)


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_workspace_folders(ls: ArgolintLanguageServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    added = [to_fs_path(f.uri) for f in params.event.added]
    removed = [to_fs_path(f.uri) for f in params.event.removed]

    def apply():
        for root in removed:
            if root:
                ls.state.remove_root(root)
        for root in added:
            if root:
                ls.state.add_root(root)

    ls.submit(apply).add_done_callback(lambda f: ls.relint_others(None, 0))


# -- pull diagnostics ------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
    identifier="argolint", inter_file_dependencies=True, workspace_diagnostics=False))
async def pull_diagnostics(ls: ArgolintLanguageServer, params: types.DocumentDiagnosticParams):
    uri = params.text_document.uri
    if uri not in ls.keys:
        return types.FullDocumentDiagnosticReport(items=[])
    lint = ls.lints.get(uri)
    for _ in range(MAX_CATCH_UP):
        if lint is not None and ls.is_current(uri, lint) and lint.generation == ls.state.generation:
            break
        lint = await ls.lint(uri)
        if lint is None:
            return types.FullDocumentDiagnosticReport(items=[])
    result_id = f"{lint.version}.{lint.generation}"
    if params.previous_result_id == result_id:
        return types.UnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.FullDocumentDiagnosticReport(items=ls.to_lsp(lint), result_id=result_id)


# -- hover -----------------------------------------------------------------------------------


def _rule_markdown(d: Diagnostic) -> str:
    """The diagnostic, its hint and one line on the rule; the rule's whole documentation is
    one command away rather than 25 lines in a hover."""
    from argolint.rules import by_id

    rule = by_id().get(d.rule)
    head = f"**argolint** `{d.rule}` ({d.severity.value}): {d.message}" + (f"; {d.hint}" if d.hint else "")
    if rule is None:
        return head
    return f"{head}\n\n{rule.summary()} More: `argolint explain {d.rule}`."


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: ArgolintLanguageServer, params: types.HoverParams) -> Optional[types.Hover]:
    lint = await ls.current_lint(params.text_document.uri)
    if lint is None:
        return None
    line, column = ls.from_position(lint, params.position)
    parts, where = [], None
    for d in lint.diagnostics:
        if _contains(d.span, line, column):
            parts.append(_rule_markdown(d))
            where = where or d.span
    from argolint.lsp.templating import describe_tag

    tag = describe_tag(lint, line, column)
    if tag is not None and (tag.in_scope or not parts):  # a diagnostic already says what is wrong
        parts.append(tag.markdown)
        where = where or tag.span
    if not parts:  # a plain key: what the field is, from Argo's schema
        from argolint.lsp.fields import describe_key

        field = describe_key(lint, line, column)
        if field is not None:
            parts.append(field.markdown)
            where = field.span
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                       range=ls.range(lint, where))


# -- code actions ----------------------------------------------------------------------------


def _wants(only, kind: str) -> bool:
    """Whether the client asked for code actions of `kind` (`only` lists kinds or their prefixes)."""
    if not only:
        return True
    return any(kind == str(k.value if hasattr(k, "value") else k) or
               kind.startswith(str(k.value if hasattr(k, "value") else k) + ".") for k in only)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]))
async def code_action(ls: ArgolintLanguageServer, params: types.CodeActionParams):
    only = params.context.only
    # "fix all" is a source action: offered when the client asks for source actions (VS Code's
    # "Source Action..." menu, `editor.codeActionsOnSave`), not in every light bulb
    quick_fixes, fix_all = _wants(only, "quickfix"), bool(only) and _wants(only, FIX_ALL_KIND)
    ours = [d for d in params.context.diagnostics if d.source == "argolint"] if quick_fixes else []
    if not ours and not fix_all:
        return None
    uri = params.text_document.uri
    lint = await ls.current_lint(uri)
    if lint is None:
        return None
    from argolint.lsp.actions import actions, fix_all_action

    lines = _lines(lint.text)
    capabilities = ls.client_capabilities.workspace
    versioned = bool(capabilities and capabilities.workspace_edit and capabilities.workspace_edit.document_changes)

    newline = "\r\n" if "\r\n" in lint.text else "\n"  # an edit's "\n" is the buffer's line break

    def workspace_edit(action):
        edits = [types.TextEdit(range=ls.range(lint, e.span, lines), new_text=e.text.replace("\n", newline))
                 for e in action.edits]
        if versioned:
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=lint.version),
                edits=edits)])
        return types.WorkspaceEdit(changes={uri: edits})

    found = []
    for sent in ours:
        for d in lint.diagnostics:
            if d.rule != sent.code or ls.range(lint, d.span, lines) != sent.range:
                continue
            for action in actions(lint, d):
                found.append(types.CodeAction(title=action.title, kind=types.CodeActionKind.QuickFix,
                                              diagnostics=[sent], is_preferred=action.preferred or None,
                                              edit=workspace_edit(action)))
    everything = fix_all_action(lint) if fix_all else None
    if everything is not None:
        found.append(types.CodeAction(title=everything.title, kind=FIX_ALL_KIND, edit=workspace_edit(everything)))
    return found or None


# -- completion ------------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["{", "."]))
async def completion(ls: ArgolintLanguageServer, params: types.CompletionParams):
    uri = params.text_document.uri
    doc = ls.document(uri)
    if doc is None:
        return None
    from argolint.lsp.templating import complete

    lint = await ls.current_lint(uri)
    if lint is None:
        return None
    line, column = ls.from_position(lint, params.position)
    found = complete(lint, line, column)
    if found is None:
        return None
    lines = _lines(lint.text)
    replace = ls.range(lint, found.replace, lines)
    items = [types.CompletionItem(
        label=item.label, kind=types.CompletionItemKind.Variable, detail=item.detail,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=item.documentation)
        if item.documentation else None,
        sort_text=f"{i:04d}", filter_text=item.filter or item.label,
        text_edit=types.TextEdit(range=replace, new_text=item.insert)) for i, item in enumerate(found.items)]
    return types.CompletionList(is_incomplete=False, items=items)


# -- entry point -----------------------------------------------------------------------------


def lsp_main(argv) -> int:
    p = argparse.ArgumentParser(prog="argolint lsp",
                                description="Run the argolint language server on stdin/stdout.")
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    p.add_argument("--log-file", metavar="FILE", help="write the server's log there")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    args = p.parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.WARNING
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=level,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
    else:
        logging.basicConfig(stream=sys.stderr, level=level, format="argolint-lsp %(levelname)s %(message)s")
    server.collector.take_over()
    server.start_io()
    return 0
