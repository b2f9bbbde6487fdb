"""A candidate's live stream (`GET /attempts/{id}/stream`) read as server-sent events."""

from __future__ import annotations

import asyncio
from collections import Counter

from bench.morning.http import HttpConnection, HttpError


class LiveStream:
    """Follows one attempt's stream; `final` is set once a `status` event has arrived.

    Only event names are parsed: the load is what matters, and a `status` event is the
    one the page must never miss."""

    def __init__(self, host: str, port: int, path: str, token: str) -> None:
        self.host, self.port, self.path, self.token = host, port, path, token
        self.events: Counter[str] = Counter()
        self.final = asyncio.Event()
        self.opens = 0
        self._connection: HttpConnection | None = None
        self._buffer = b""
        self._event = "message"

    async def open(self, wait: float) -> None:
        """Connect and wait for the response's headers; raises HttpError if refused."""
        self.close()
        connection = await HttpConnection.open(self.host, self.port)
        self._connection, self._buffer, self._event = connection, b"", "message"
        connection.body_sink = self._feed
        connection.send("GET", self.path, self.token, streaming=True)
        try:
            status = await asyncio.wait_for(connection.headers(), wait)
        except TimeoutError as error:
            connection.close()
            raise HttpError("timeout") from error
        if status != 200:
            connection.close()
            raise HttpError(f"HTTP {status}")
        self.opens += 1

    @property
    def open_now(self) -> bool:
        return self._connection is not None and not self._connection.closed

    def _feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            line = raw.rstrip(b"\r")
            if not line:
                self.events[self._event] += 1
                if self._event == "status":
                    self.final.set()
                self._event = "message"
            elif line.startswith(b"event:"):
                self._event = line[6:].strip().decode()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
