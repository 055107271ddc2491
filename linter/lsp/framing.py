"""The language server's message loop over stdio, robust to what a broken client sends.

pygls's own loop believes every `Content-Length` (99999999999 allocates it up front), and
after a wrong or missing one reads the next messages' headers as garbage, so the server
stays alive but deaf. Here:

- headers are read a bounded line at a time; a `Content-Length:` found after garbage
  starts a header there (so the loop resynchronises on the next message);
- a body over MAX_MESSAGE_BYTES ends the server with a log line (the editor restarts it;
  waiting for gigabytes that never come would leave it deaf), and a body is read a chunk
  at a time, never allocated from the header's word;
- a body that is not JSON gets a JSON-RPC Parse error (-32700), a message that is not a
  request, notification or response an Invalid Request (-32600), and a request whose
  params do not fit its method the method's error (Invalid params, -32602), with the
  request's id; the loop goes on.
"""

from __future__ import annotations

import json
import logging
from typing import BinaryIO, Optional

logger = logging.getLogger("argolint.lsp.framing")

MAX_MESSAGE_BYTES = 64 << 20  # a 12 MB manifest, JSON-escaped, fits many times over
MAX_HEADER_LINE = 8192
_CHUNK = 1 << 20
_CONTENT_LENGTH = b"content-length:"


class FramingError(Exception):
    """The stream cannot go on (a message larger than the limit): the server exits."""


class MessageReader:
    """Message bodies from a binary stream of `Content-Length`-framed JSON-RPC messages."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream

    def next_body(self) -> Optional[bytes]:
        """The next message's body; None at the end of the stream. Raises FramingError."""
        length = None
        while True:
            line = self.stream.readline(MAX_HEADER_LINE)
            if not line:
                return None
            at = line.lower().find(_CONTENT_LENGTH)
            if at > 0:
                logger.warning("skipped %d bytes that are not a message header", at)
                line, length = line[at:], None
            if not line.strip():
                if length is not None:
                    break
                if line.endswith(b"\n") and line.strip(b"\r\n") == b"":
                    logger.warning("a message header without Content-Length: skipped")
                continue
            name, colon, value = line.partition(b":")
            if colon and name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    logger.warning("Content-Length %r is not a number: message skipped", value.strip()[:40])
                    length = None
                    continue
                if length < 0:
                    length = None
            elif not colon:
                logger.warning("skipped %d bytes that are not a message header", len(line))
        if length > MAX_MESSAGE_BYTES:
            raise FramingError(f"a message of Content-Length {length} is over the limit of {MAX_MESSAGE_BYTES} "
                               "bytes; stopping so that the editor restarts the server")
        chunks, remaining = [], length
        while remaining:
            chunk = self.stream.read(min(remaining, _CHUNK))
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)


# JSON-RPC error codes
PARSE_ERROR = -32700
INVALID_REQUEST = -32600


def dispatch(protocol, body: bytes) -> None:
    """Hand one message body to pygls's protocol, answering what it cannot handle."""
    from pygls.exceptions import JsonRpcException

    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        logger.warning("a message that is not JSON: %s", exc)
        _error(protocol, None, PARSE_ERROR, f"Parse error: {exc}")
        return
    if not isinstance(data, dict) or not ({"method", "result", "error"} & set(data)):
        msg_id = data.get("id") if isinstance(data, dict) else None
        _error(protocol, msg_id if isinstance(msg_id, (int, str)) else None, INVALID_REQUEST,
               "Invalid Request: a message needs a method (or is a response, with a result or an error)")
        return
    if not isinstance(data.get("method", ""), str):
        _error(protocol, data.get("id") if isinstance(data.get("id"), (int, str)) else None, INVALID_REQUEST,
               "Invalid Request: the method must be a string")
        return
    try:
        message = protocol.structure_message(data)
    except JsonRpcException as exc:
        if "method" in data and isinstance(data.get("id"), (int, str)):
            detail = f" for {data['method']}" if exc.code == -32602 else ""
            _error(protocol, data["id"], exc.code, f"{exc.message or 'Invalid params'}{detail}")
        return
    try:
        protocol.handle_message(message)
    except Exception:  # a bug in a handler must not stop the loop
        logger.exception("handling %s failed", data.get("method", "a response"))


def _error(protocol, msg_id, code: int, message: str) -> None:
    from lsprotocol.types import ResponseError

    protocol._send_response(msg_id, error=ResponseError(code=code, message=message))


async def serve(protocol, stream: BinaryIO, executor, stop_event) -> None:
    """Read and dispatch messages until the stream ends or the server stops."""
    import asyncio

    reader = MessageReader(stream)
    loop = asyncio.get_running_loop()
    while not stop_event.is_set():
        try:
            body = await loop.run_in_executor(executor, reader.next_body)
        except FramingError as exc:
            logger.error("%s", exc)
            break
        if body is None:
            break
        dispatch(protocol, body)
