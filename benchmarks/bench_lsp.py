"""How long after a change the language server's diagnostics arrive, on a 300-line workflow
or a 5,000-line manifest.

Starts `argolint lsp` as an editor would (a subprocess on stdio), opens
fixtures/lsp/workflow-300.yaml (or, with `--lines N`, a file of N lines or a little more
made of copies of it as separate documents, in a temporary workspace), then makes edits and times each from sending its
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

Each series prints its median (p50), p95, p90 and maximum.

`--gc` adds an in-process series that needs no editor round trip and so is steadier on a
busy machine: the server's own parse + lint (`Workspace.change` + `Workspace.lint`) of the
same edits, once with the automatic collector on (the server before issue 19) and once
with it off (the server now: `lsp/collector.py` collects between bursts), with the time
spent in collections during each edit. `--move-lines` makes those edits add and remove a
line, so that every document below the edit moves (their parse cannot be kept).

Usage: python benchmarks/bench_lsp.py [--edits N] [--rounds R] [--workspace DIR] [--lines N] [--gc [--move-lines]]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
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


async def measure(edits: int, workspace: str, manifest: str) -> tuple[list[float], list[float]]:
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
    with open(manifest, encoding="utf-8") as fh:
        text = fh.read()
    line = text.split("\n").index(LINE_TEXT)
    uri = from_fs_path(manifest)
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


def in_process(manifest: str, rounds: int = 20) -> list[float]:
    from argolint.config import load_config
    from argolint.load.loader import load_text
    from argolint.analysis.project import Project
    from argolint.lint.runner import lint_project

    with open(manifest, encoding="utf-8") as fh:
        text = fh.read()
    config, times = load_config(start=os.path.dirname(manifest)), []
    for _ in range(rounds):
        start = time.perf_counter()
        project = Project()
        project.add(load_text(text, manifest))
        lint_project(project, config)
        times.append(time.perf_counter() - start)
    return times[1:]


def _percentile(ms: list[float], fraction: float) -> float:
    return ms[min(len(ms) - 1, int(len(ms) * fraction))]


def _summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return (f"{name:<22} n={len(ms):<3} p50 {statistics.median(ms):6.1f} ms   p95 {_percentile(ms, 0.95):6.1f} ms   "
            f"p90 {_percentile(ms, 0.9):6.1f} ms   max {ms[-1]:6.1f} ms")


def gc_series(manifest: str, edits: int, collector_on: bool, lines: bool = False) -> tuple[list[float], list[float]]:
    """Per edit: seconds of the server's parse + lint, and seconds of it spent collecting.
    With `lines`, the edit adds and removes a comment line instead (all below it moves)."""
    import gc

    from argolint.lsp.workspace import Workspace

    with open(manifest, encoding="utf-8") as fh:
        text = fh.read()
    wrong = text.replace(LINE_TEXT, LINE_TEXT + ("\n        # a note" if lines else "s"), 1)
    state = Workspace()
    state.open("bench", manifest, 1, text)
    state.lint("bench")
    started = [0.0]
    collecting = [0.0]

    def timer(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            collecting[0] += time.perf_counter() - started[0]

    gc.collect()
    gc.callbacks.append(timer)
    (gc.enable if collector_on else gc.disable)()
    lints, pauses = [], []
    try:
        for version in range(2, edits + 2):
            collecting[0] = 0.0
            start = time.perf_counter()
            state.change("bench", version, wrong if version % 2 else text)
            state.lint("bench")
            lints.append(time.perf_counter() - start)
            pauses.append(collecting[0])
    finally:
        gc.callbacks.remove(timer)
        gc.enable()
    return lints, pauses


def large_manifest(folder: str, lines: int) -> str:
    """A file of at least `lines` lines: copies of the 300-line workflow as documents."""
    with open(MANIFEST, encoding="utf-8") as fh:
        text = fh.read()
    copies = -(-lines // text.count("\n"))
    path = os.path.join(folder, f"workflow-{lines}.yaml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("---\n".join([text] * copies))
    return path


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--edits", type=int, default=40, help="single edits per round (default 40)")
    p.add_argument("--rounds", type=int, default=3, help="server starts (default 3)")
    p.add_argument("--workspace", help="the workspace folder (default: the manifest's: fixtures/lsp, or the "
                   "temporary folder of --lines)")
    p.add_argument("--lines", type=int, help="edit a manifest of this many lines (copies of the 300-line one)")
    p.add_argument("--gc", action="store_true", help="also the in-process series with the collector on and off")
    p.add_argument("--move-lines", action="store_true", help="in the --gc series, add and remove a line instead "
                   "of a character (every document below the edit moves)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = large_manifest(tmp, args.lines) if args.lines else MANIFEST
        return run(args, manifest, args.workspace or os.path.dirname(manifest))


def run(args, manifest: str, workspace: str) -> int:
    lines = sum(1 for _ in open(manifest, encoding="utf-8"))
    print(f"{os.path.basename(manifest)}: {lines} lines; workspace {workspace}; {os.cpu_count()} CPUs")
    print(_summary("parse + lint in-process", in_process(manifest)))
    if args.gc:
        for on in (True, False, True, False):
            lints, pauses = gc_series(manifest, args.edits, on, args.move_lines)
            label = "collector on " if on else "collector off"
            print(_summary(f"{label}: edit", lints))
            print(_summary(f"{label}: in gc", pauses))
    for r in range(1, args.rounds + 1):
        single, burst = asyncio.run(measure(args.edits, os.path.abspath(workspace), manifest))
        print(f"round {r}")
        print("  " + _summary("change -> diagnostics", single))
        print("  " + _summary("burst end -> diagnostics", burst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
