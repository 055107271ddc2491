"""Fuzzing the three ways input reaches argolint (issue 14): the lint, the dry run and the
language server's message loop. Whatever the input: no exception escapes, no internal
error (exit 3), the JSON report parses, and each input takes bounded time.

Bounded to a few seconds in all: few examples of small inputs, and derandomized under CI
(`CI` set) so a run there is reproducible; locally each run explores new inputs.
"""

from __future__ import annotations

import io
import json
import os
import re
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from argolint.api import lint_text
from argolint.report import LintResult, render

SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "seed")
SEED_TEXTS = [open(os.path.join(SEEDS, name), encoding="utf-8").read()
              for name in sorted(os.listdir(SEEDS)) if name.endswith(".yaml")]

FUZZ = settings(max_examples=60, deadline=None, derandomize=bool(os.environ.get("CI")), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# what breaks parsers and evaluators: YAML structure, anchors and tags, templating, expression
# operators and calls, Unicode and control characters, numbers at their limits
FRAGMENTS = [
    "{{", "}}", "{{=", "{{inputs.parameters.", "{{steps.", "{{item}}", "{{workflow.", "[", "]", "{", "}", ": ",
    "- ", "\n", "\n  ", "\t", "&a ", "*a", "<<: *a", "!!str ", "!!int ", "? ", "|", ">", "#", "'", '"', "\\",
    "---\n", "...\n", "\x00", "\ufeff", "\u2028", "é", "𝔸", "!", "!!", "-", "..", "(", ")", "sprig.", "map(",
    "filter(", "#", "1e308", "-9223372036854775809", "99999999999999999999", "0x", "nan", "yes", "no", "~",
    "withSequence: {count: '10'}", "withItems: [1, 2]", "withParam: '[1]'", "when: '{{item}} =~ a+'",
    "template: main", "depends: 'a.Succeeded || '", "dependencies: [a]", "name: [x]", "name: {y: 1}",
]


@st.composite
def mutated_manifest(draw) -> str:
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(("insert", "delete", "replace")))
        piece = draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            text = text[:at] + piece + text[at + len(piece):]
    return text


@FUZZ
@given(mutated_manifest())
def test_lint_of_any_mutation_never_fails(text):
    started = time.monotonic()
    found = lint_text(text, "fuzz.yaml")
    assert time.monotonic() - started < 5
    assert [d for d in found if d.rule == "internal-error"] == []
    report = json.loads(render(LintResult(diagnostics=found, files=1, sources={}), "json"))
    assert report["summary"]["error"] == sum(d.severity.value == "error" for d in found)


@FUZZ
@given(mutated_manifest())
def test_dry_run_of_any_mutation_never_fails(text):
    from argolint.evaluator.api import DryRunError, evaluate_text
    from argolint.evaluator.engine import Limits

    started = time.monotonic()
    try:
        evaluation = evaluate_text(text, limits=Limits(timeout=4))
    except DryRunError:  # no workflow left in the text: the CLI's usage error
        return
    assert evaluation.phase in ("Succeeded", "Failed", "Error", "Running", "Pending")
    assert time.monotonic() - started < 6


# -- the language server's message loop ------------------------------------------------------

pygls = pytest.importorskip("pygls")

HEADER_PIECES = [b"Content-Length: ", b"content-length:", b"Content-Type: application/json", b"\r\n", b"\r\n\r\n",
                 b"\n", b":", b"{", b"}", b"\x00", b"\xff\xfe", b"-1", b"12", b"abc", b'{"jsonrpc": "2.0"',
                 b'"id": 1', b'"method": ', b'"params": [1]']


@st.composite
def garbage_stream(draw) -> bytes:
    pieces = draw(st.lists(st.one_of(st.sampled_from(HEADER_PIECES), st.binary(max_size=12)), max_size=20))
    return b"".join(pieces)


class RecordingProtocol:
    """pygls's protocol, with what it would handle and send recorded instead."""

    def __init__(self):
        from argolint.lsp.server import server

        self.real = server.protocol
        self.handled, self.sent = [], []

    def structure_message(self, data):
        return self.real.structure_message(data)

    def handle_message(self, message):
        self.handled.append(message)

    def _send_response(self, msg_id, result=None, error=None):
        self.sent.append((msg_id, error))


@FUZZ
@given(garbage_stream(), st.sampled_from([
    {"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover",
     "params": {"textDocument": {"uri": "file:///x.yaml"}, "position": {"line": 0, "character": 0}}},
    {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": "file:///x.yaml"}}},
]))
def test_message_loop_survives_garbage_and_resynchronises(garbage, message):
    from argolint.lsp.framing import FramingError, MessageReader, dispatch

    body = json.dumps(message).encode()
    good = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    # a length the garbage declares rightly swallows what follows, good messages too: send
    # enough of them that one is read whole after it
    declared = [int(n) for n in re.findall(rb"(?i)content-length: *(\d+)", garbage)] + [0]
    assume(max(declared) < 100_000)
    copies = max(declared) // len(good) + 2
    reader = MessageReader(io.BytesIO(garbage + b"\r\n\r\n" + good * copies))
    protocol = RecordingProtocol()
    started = time.monotonic()
    try:
        while (received := reader.next_body()) is not None:
            dispatch(protocol, received)
    except FramingError:
        pytest.fail("a Content-Length of at most a few digits must not end the server")
    assert time.monotonic() - started < 2
    assert any(getattr(m, "method", None) == message["method"] for m in protocol.handled)
