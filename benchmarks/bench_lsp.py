"""How long after a change the language server's diagnostics arrive, on a 300-line workflow.

Starts `argolint lsp` as an editor would (a subprocess on stdio), opens
fixtures/lsp/workflow-300.yaml, then makes edits and times each from sending its
`textDocument/didChange` to receiving the `textDocument/publishDiagnostics` for that
version. Every edit changes the diagnostics (a template name toggles between right and
wrong), so every one is published.

  single   one edit, then a pause: the latency an editor sees after a keystroke
           (the server's debounce + parse + lint + the round trip)
  burst    edits 10 ms apart, typing speed: the time from the burst's last edit to the
           diagnostics of that last version (earlier versions are dropped, never published)

Also prints the in-process cost of one parse + lint of the file, for comparison.

The workspace folder is fixtures/lsp unless --workspace names another one (e.g. the 217
upstream examples, to see what indexing a bigger workspace costs per change).

Usage: python benchmarks/bench_lsp.py [--edits N] [--rounds R] [--workspace DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(ROOT, "fixtures", "lsp", "workflow-300.yaml")
LINE_TEXT = "        template: git-checkout"


class Client(LanguageClient):
    def __init__(self):
        super().__init__("argolint-bench", "1")
        self.arrived: dict[int, float] = {}
        self.event = asyncio.Event()


async def _wait_for(client: Client, version: int, timeout: float = 30.0) -> float:
    deadline = time.monotonic() + timeout
    while version not in client.arrived:
        client.event.clear()
        await asyncio.wait_for(client.event.wait(), max(0.001, deadline - time.monotonic()))
    return client.arrived[version]


def _edit(client: Client, uri: str, version: int, line: int, wrong: bool) -> float:
    # 'git-checkout' <-> 'git-checkouts': the second is an unknown template.
    start = len(LINE_TEXT)
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(line, start), types.Position(line, start + (0 if wrong else 1))),
        text="s" if wrong else "")
    sent = time.perf_counter()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]))
    return sent


async def measure(edits: int, workspace: str) -> tuple[list[float], list[float]]:
    client = Client()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(ls: Client, params: types.PublishDiagnosticsParams):
        ls.arrived[params.version] = time.perf_counter()
        ls.event.set()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log(ls: Client, params: types.LogMessageParams):
        pass

    await client.start_io(sys.executable, "-m", "argolint", "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=from_fs_path(workspace)))
    client.initialized(types.InitializedParams())
    with open(MANIFEST, encoding="utf-8") as fh:
        text = fh.read()
    line = text.split("\n").index(LINE_TEXT)
    uri = from_fs_path(MANIFEST)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    await _wait_for(client, 1)
    version, wrong = 1, False
    single = []
    for _ in range(edits):
        version, wrong = version + 1, not wrong
        sent = _edit(client, uri, version, line, wrong)
        single.append(await _wait_for(client, version) - sent)
        await asyncio.sleep(0.15)
    burst = []
    for _ in range(max(1, edits // 5)):
        for _ in range(8):
            version, wrong = version + 1, not wrong
            sent = _edit(client, uri, version, line, wrong)
            await asyncio.sleep(0.01)
        burst.append(await _wait_for(client, version) - sent)
        await asyncio.sleep(0.15)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return single, burst


def in_process(rounds: int = 20) -> list[float]:
    from argolint.config import Config
    from argolint.load.loader import load_text
    from argolint.analysis.project import Project
    from argolint.lint.runner import lint_project

    with open(MANIFEST, encoding="utf-8") as fh:
        text = fh.read()
    config, times = Config(), []
    for _ in range(rounds):
        start = time.perf_counter()
        project = Project()
        project.add(load_text(text, MANIFEST))
        lint_project(project, config)
        times.append(time.perf_counter() - start)
    return times[1:]


def _summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return (f"{name:<22} n={len(ms):<3} median {statistics.median(ms):6.1f} ms   p90 {p90:6.1f} ms   "
            f"max {ms[-1]:6.1f} ms")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--edits", type=int, default=40, help="single edits per round (default 40)")
    p.add_argument("--rounds", type=int, default=3, help="server starts (default 3)")
    p.add_argument("--workspace", default=os.path.dirname(MANIFEST), help="the workspace folder (default: "
                   "fixtures/lsp)")
    args = p.parse_args()
    lines = sum(1 for _ in open(MANIFEST, encoding="utf-8"))
    print(f"{os.path.relpath(MANIFEST, ROOT)}: {lines} lines; workspace {args.workspace}; {os.cpu_count()} CPUs")
    print(_summary("parse + lint in-process", in_process()))
    for r in range(1, args.rounds + 1):
        single, burst = asyncio.run(measure(args.edits, os.path.abspath(args.workspace)))
        print(f"round {r}")
        print("  " + _summary("change -> diagnostics", single))
        print("  " + _summary("burst end -> diagnostics", burst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
