"""Closed-loop HTTP load for one operation: `connections` clients, each sending its next
request when the last one answered, over a list of requests or for a time."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from bench.morning.http import HttpConnection, HttpError
from bench.morning.record import Recorder


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    path: str
    token: str
    body: bytes = b""


@dataclass(slots=True)
class LoadResult:
    operation: str
    seconds: float
    recorder: Recorder
    bodies: list[bytes]

    @property
    def done(self) -> int:
        return self.recorder.count(self.operation)

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


async def closed_loop(
    port: int, operation: str, calls: Sequence[Call], *, connections: int,
    seconds: float | None = None, ok: tuple[int, ...] = (200, 201), request_timeout: float = 30.0,
) -> LoadResult:  # fmt: skip
    """Every call once (seconds=None), or calls cycled until `seconds` have passed."""
    loop = asyncio.get_running_loop()
    recorder, bodies = Recorder(), []
    source = iter(calls) if seconds is None else itertools.cycle(calls)
    began = loop.time()
    stop_at = None if seconds is None else began + seconds

    async def client() -> None:
        connection: HttpConnection | None = None
        for call in source:
            if stop_at is not None and loop.time() >= stop_at:
                break
            sent = loop.time()
            try:
                if connection is None or connection.closed:
                    connection = await HttpConnection.open("127.0.0.1", port)
                connection.send(call.method, call.path, call.token, call.body)
                async with asyncio.timeout(request_timeout):
                    status, body = await connection.response()
            except (HttpError, TimeoutError) as error:
                recorder.failed(operation, getattr(error, "kind", "timeout"))
                connection = None
                continue
            if status in ok:
                recorder.took(operation, loop.time() - sent)
                if seconds is None:
                    bodies.append(body)
            else:
                recorder.failed(operation, f"HTTP {status}")
        if connection is not None:
            connection.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return LoadResult(operation, loop.time() - began, recorder, bodies)
