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

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """(status, body); raises HttpError on a failure without a response."""
        loop = asyncio.get_running_loop()
        connection = self._connection
        if (
            connection is None
            or connection.closed
            or (loop.time() - connection.last_used > KEEP_IDLE_SECONDS)
        ):
            if connection is not None:
                connection.close()
            connection = self._connection = await HttpConnection.open(self.host, self.port)
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
