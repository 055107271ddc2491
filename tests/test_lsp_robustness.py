"""The language server fed what a broken or hostile client sends (issue 14): it answers
with JSON-RPC errors, resynchronises after bad framing, exits (with a log line, so the
editor restarts it) rather than allocating a gigantic message, and keeps its caches bounded."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time

import pytest

pytest.importorskip("pygls")


def frame(message) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}}


class Server:
    """`argolint lsp` in a subprocess, spoken to in raw bytes."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "argolint", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buffer = b""

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def response(self, msg_id, timeout: float = 10) -> dict:
        """The next response with id `msg_id` (notifications and other responses are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self._message(deadline)
            if "method" not in message and message.get("id") == msg_id:
                return message

    def published_order(self, uris: set, timeout: float = 30) -> list:
        """The URIs of the first publishDiagnostics of each of `uris`, in arrival order."""
        deadline, order = time.monotonic() + timeout, []
        while set(order) != uris:
            message = self._message(deadline)
            if message.get("method") == "textDocument/publishDiagnostics":
                uri = message["params"]["uri"]
                if uri in uris and uri not in order:
                    order.append(uri)
        return order

    def _message(self, deadline: float) -> dict:
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = int(re.search(rb"Content-Length: *(\d+)", head).group(1))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return json.loads(rest[:length])
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no response in time"
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                assert chunk, "the server exited"
                self.buffer += chunk

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            stream.close()


@pytest.fixture
def server():
    running = Server()
    running.send(frame(INITIALIZE))
    assert "capabilities" in running.response(1)["result"]
    yield running
    running.close()


def test_invalid_params_get_an_invalid_params_error(server):
    server.send(frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"bogus": 1}}))
    error = server.response(2)["error"]
    assert error["code"] == -32602
    assert "textDocument/hover" in error["message"]


def test_a_message_without_method_gets_an_invalid_request_error(server):
    server.send(frame({"jsonrpc": "2.0", "id": 3}))
    assert server.response(3)["error"]["code"] == -32600


def test_a_body_that_is_not_json_gets_a_parse_error(server):
    server.send(frame(b"{not json"))
    assert server.response(None)["error"]["code"] == -32700


def test_garbage_and_wrong_lengths_are_skipped_and_the_next_message_is_answered(server):
    hover = {"jsonrpc": "2.0", "id": 4, "method": "shutdown"}
    body = json.dumps(hover).encode()
    server.send(b"\x00\xff binary garbage \x13\x37")  # no newline: the header below starts after it
    server.send(b"Content-Length: 5\r\n\r\n" + body)  # too short: the rest of the body is garbage
    server.send(b"Content-Type: application/json\r\n\r\n")  # a header without Content-Length
    server.send(frame({"jsonrpc": "2.0", "id": 5, "method": "shutdown"}))
    assert server.response(5) == {"jsonrpc": "2.0", "id": 5, "result": None}


def test_a_gigantic_content_length_ends_the_server_with_a_log_line(server):
    server.send(b"Content-Length: 99999999999\r\n\r\n{}")
    assert server.proc.wait(10) is not None
    assert b"Content-Length 99999999999 is over the limit" in server.proc.stderr.read()


# -- bounded caches --------------------------------------------------------------------------


def test_the_tag_scan_cache_is_bounded_by_bytes_and_released():
    from argolint.analysis.templating import tags

    tags.release_scans()
    big = "x" * 200_000 + "{{inputs.parameters.a}}"
    for i in range(200):  # 200 edits of a 200 KB scalar: 40 MB of distinct texts
        tags.scan(big + str(i))
    assert tags.cached_scan_bytes() <= tags.MAX_SCAN_CACHE_BYTES
    tags.release_scans()
    assert tags.cached_scan_bytes() == 0


def test_a_twelve_megabyte_buffer_gets_the_clis_input_too_large_diagnostic(tmp_path):
    from argolint.lsp.workspace import Workspace

    workspace = Workspace([str(tmp_path)])
    path = str(tmp_path / "huge.yaml")
    workspace.open(path, path, 1, "kind: Workflow\ndata: " + "x" * (12 << 20) + "\n")
    found = [(d.rule, d.line, d.column, d.message) for d in workspace.lint(path).diagnostics]
    assert found == [("input-too-large", 1, 1, "input is 12.0 MiB, over the 10 MiB limit; not linted")]


# -- a large document does not hold the others up --------------------------------------------


def large_workflow(templates: int) -> str:
    parts = ["apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: big-\nspec:\n"
             "  entrypoint: t0\n  templates:\n"]
    for i in range(templates):
        parts.append(f"  - name: t{i}\n    inputs:\n      parameters:\n      - name: p\n    container:\n"
                     f"      image: alpine\n      args: [\"{'{{inputs.parameters.p}} ' * 40}\"]\n")
    return "".join(parts)


def did_open(uri: str, text: str) -> bytes:
    return frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}}})


def test_a_small_document_is_linted_before_a_large_one_opened_first(server, tmp_path):
    big, small = (tmp_path / "big.yaml").as_uri(), (tmp_path / "small.yaml").as_uri()
    text = large_workflow(2500)  # 2.7 MB: seconds of linting
    assert len(text) > (1 << 20)
    server.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    server.send(did_open(big, text) + did_open(small, "kind: Workflow\napiVersion: argoproj.io/v1alpha1\n"))
    assert server.published_order({big, small}) == [small, big]


def test_a_lint_can_be_cancelled_between_templates(tmp_path):
    from argolint.lint.engine import Cancelled
    from argolint.lsp.workspace import Workspace

    path = str(tmp_path / "wf.yaml")
    fresh, workspace = Workspace([str(tmp_path)]), Workspace([str(tmp_path)])
    for each in (fresh, workspace):
        each.open(path, path, 1, large_workflow(3))
    asked = []
    with pytest.raises(Cancelled):
        workspace.lint(path, cancelled=lambda: asked.append(1) or True)
    assert asked == [1]  # at the first template
    # nothing was left half done: the next lint is a whole one
    assert workspace.lint(path).diagnostics == fresh.lint(path).diagnostics != []
