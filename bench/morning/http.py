"""A minimal HTTP/1.1 client on asyncio protocols, for holding 10,000+ connections at once.

Why not aiohttp or httpx: each of their connections carries a stream reader, a pool
entry and per-request objects, and httpx parses in Python; here a connection is one
transport and one httptools parser (the C parser uvicorn itself uses), and bytes go
straight from the event loop's callback to the parser. That keeps 10,000 open SSE
streams in one process at a few kB and next to no CPU each, so the generator measures
the server rather than itself. Loopback and our own service only: no TLS, no redirects.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar, cast

import httptools


class HttpError(Exception):
    """A request that got no complete response; `kind` names the failure for the tally."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class HttpConnection(asyncio.Protocol):
    """One connection, one request at a time; `body_sink` (when set) receives the body as it
    arrives instead of it being kept, for event streams."""

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._body = bytearray()
        self._done: asyncio.Future[tuple[int, bytes]] | None = None
        self._headers: asyncio.Future[int] | None = None
        self.body_sink: Callable[[bytes], None] | None = None
        self.closed = False
        self._closing = False
        self.last_used = 0.0
        self.answering = False  # a byte of the response to the last request has arrived

    @classmethod
    async def open(cls, host: str, port: int) -> HttpConnection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(cls, host, port)
        except OSError as error:
            raise HttpError(f"connect: {error.strerror or type(error).__name__}") from error
        return connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport, but behave as one.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.answering = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._fail("bad response")

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail("connection closed" if exc is None else f"connection lost: {exc}")

    def _fail(self, kind: str) -> None:
        for waiter in (self._headers, self._done):
            if waiter is not None and not waiter.done():
                if self._closing:  # we hung up: nobody waits for this response any more
                    waiter.cancel()
                else:
                    waiter.set_exception(HttpError(kind))

    # httptools callbacks
    def on_headers_complete(self) -> None:
        if self._headers is not None and not self._headers.done():
            self._headers.set_result(self._parser.get_status_code())

    def on_body(self, body: bytes) -> None:
        if self.body_sink is not None:
            self.body_sink(body)
        else:
            self._body += body

    def on_message_complete(self) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result((self._parser.get_status_code(), bytes(self._body)))
        if not self._parser.should_keep_alive():
            self.close()

    def send(
        self, method: str, path: str, token: str, body: bytes = b"", *, streaming: bool = False
    ) -> None:
        """Write a request; wait for it with `response()` (and `headers()` when streaming)."""
        if self._transport is None or self.closed:
            raise HttpError("connection closed")
        loop = asyncio.get_running_loop()
        self._body.clear()
        self.answering = False
        self._done = loop.create_future()
        self._headers = loop.create_future() if streaming else None
        for waiter in (self._done, self._headers):
            if waiter is not None:
                # A stream's end is never awaited: mark its failure seen (awaiting still raises).
                waiter.add_done_callback(_seen)
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n")  # fmt: skip
        if body:
            head += "Content-Type: application/json\r\n"
        self._transport.write(head.encode() + b"\r\n" + body)

    async def headers(self) -> int:
        assert self._headers is not None
        return await self._headers

    async def response(self) -> tuple[int, bytes]:
        assert self._done is not None
        result = await self._done
        self.last_used = asyncio.get_running_loop().time()
        return result

    def close(self) -> None:
        self.closed = self._closing = True
        if self._transport is not None:
            self._transport.close()


Outcome = TypeVar("Outcome")


def _seen(future: asyncio.Future[Outcome]) -> None:
    if not future.cancelled():
        future.exception()
