"""The HTTP/1.1 protocol the API is served with: `uvicorn --http genre_api.core.http_protocol:BoundedHttpToolsProtocol`.

uvicorn's httptools protocol with two changes:

- **A bound on the request head.** httptools (llhttp) has no limit on the size of the request line and headers,
  and uvicorn sets none: a 256 MB header was accepted, and held in memory while it arrived. uvicorn's other
  parser, h11, has one (`--h11-max-incomplete-event-size`, 16 KB), but costs about four times the CPU per
  request: 111-120 µs against 28-30 for httptools and 31-33 for this class (the protocol alone, a poll-sized
  request and response on one keep-alive connection, medians of seven runs of 5000; a whole poll costs the
  API about 200-300 µs). Here the bytes of each request's head are counted as they arrive; past
  `GENRE_MAX_HEADER_BYTES` the connection gets 431 and is closed, so memory is bounded by that plus at most one
  read (256 KB). Bodies are not counted here (see `body_limit`).
- **Its own refusals in the API's error format.** uvicorn answers a malformed request with a plain-text 400;
  here it is `{"error": {"code": "bad_request", "message": ...}}` like every other error.

Cost: the 3 µs per request above (a few more Python calls, one sum over the parsed headers); nothing per
byte, nothing while a body streams in.
"""

from __future__ import annotations

import asyncio
import functools
import http
import itertools
import json
import logging
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from genre_api.core.config import ApiSettings

log = logging.getLogger("uvicorn.error")


class HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing a request whose head is over the limit."""


@functools.cache
def max_head_bytes() -> int:
    # Once per server process: a protocol object is made for every connection.
    return ApiSettings().max_header_bytes


def raw_error_response(status: int, code: str, message: str, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """A complete HTTP/1.1 response (closing the connection) with the API's JSON error body."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}".encode()]
    lines += [name + b": " + value for name, value in default_headers]
    lines += [b"content-type: application/json", b"content-length: %d" % len(body), b"connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._max_head_bytes = max_head_bytes()
        self._head_bytes = 0
        # True from the start of the connection or the end of a request until the end of the next one's
        # headers: bytes that arrive then are a request line and headers.
        self._in_head = True
        self._completed_in_this_read = False
        self._head_too_large = False

    def data_received(self, data: bytes) -> None:
        self._completed_in_this_read = False
        super().data_received(data)
        # Counted after parsing, whole reads only, while a head is unfinished. A read in which an earlier request
        # ended (pipelining) is not counted: where the current head starts in it is unknown, and counting all of
        # it could refuse a burst of small requests. So a head is bounded by the limit plus at most one read.
        if self._in_head and not self._completed_in_this_read and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > self._max_head_bytes:
                self._refuse_head()

    def on_headers_complete(self) -> None:
        self._in_head = False
        # A head that arrived within one read was never counted above: measured here, exactly (what the parser
        # kept: the target and each header's name and value), before uvicorn starts the request.
        size = len(self.url) + sum(map(len, itertools.chain.from_iterable(self.headers)))
        if size > self._max_head_bytes:
            self._head_too_large = True
            raise HeadTooLarge  # stops the parser; uvicorn then calls send_400_response
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = self._completed_in_this_read = True
        self._head_bytes = 0

    def send_400_response(self, msg: str) -> None:
        # Called by uvicorn for a request httptools cannot parse (or whose callback refused it).
        if self._head_too_large:
            self._refuse_head()
        else:
            self._refuse(400, "bad_request", msg)

    def _refuse_head(self) -> None:
        limit_kb = self._max_head_bytes / 1024
        self._refuse(431, "headers_too_large", f"The request line and headers exceed the {limit_kb:g} KB limit.")

    def _refuse(self, status: int, code: str, message: str) -> None:
        where = f"{self.client[0]}:{self.client[1]}" if self.client else "-"
        log.warning("%s - %d %s", where, status, message)
        self.transport.write(raw_error_response(status, code, message, self.server_state.default_headers))
        self.transport.close()
