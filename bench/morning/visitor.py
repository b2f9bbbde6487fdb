"""A candidate's browser, as far as the load needs one."""

from __future__ import annotations

import asyncio

from bench.morning.http import HttpConnection, HttpError

KEEP_IDLE_SECONDS = 4.0  # uvicorn closes keep-alive connections idle for 5 s


class Visitor:
    """A candidate's browser: one keep-alive connection, reopened when it has sat idle for
    as long as the server keeps it (a browser does the same)."""

    def __init__(self, host: str, port: int, token: str, timeout: float) -> None:
        self.host, self.port, self.token, self.timeout = host, port, token, timeout
        self._connection: HttpConnection | None = None
        self.resent = 0  # requests sent again on a new connection (see `request`)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """(status, body); raises HttpError on a failure without a response.

        A kept connection the server closed while the request was on its way (its idle
        timer fired before the loaded server read the request) fails before any byte of
        an answer: the request was never read, so it goes once more on a new connection,
        as browsers do (Chromium resends on a reused socket's reset or close, whatever
        the method). Any other failure is the request's."""
        loop = asyncio.get_running_loop()
        connection = self._connection
        if (
            connection is None
            or connection.closed
            or (loop.time() - connection.last_used > KEEP_IDLE_SECONDS)
        ):
            return await self._on_new_connection(method, path, body)
        try:
            return await self._on(connection, method, path, body)
        except HttpError as error:
            if connection.answering or not error.kind.startswith("connection"):
                raise
        self.resent += 1
        return await self._on_new_connection(method, path, body)

    async def _on_new_connection(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        if self._connection is not None:
            self._connection.close()
        self._connection = await HttpConnection.open(self.host, self.port)
        return await self._on(self._connection, method, path, body)

    async def _on(
        self, connection: HttpConnection, method: str, path: str, body: bytes
    ) -> tuple[int, bytes]:
        connection.send(method, path, self.token, body)
        try:
            return await asyncio.wait_for(connection.response(), self.timeout)
        except TimeoutError as error:
            connection.close()
            raise HttpError("timeout") from error

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
