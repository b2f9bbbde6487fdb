"""Saves at a fixed arrival rate, free of coordinated omission.

A closed-loop generator (wrk, or N clients each waiting for its answer) sends less when
the server slows down, so the slow moments are under-sampled and the tail looks better
than what candidates live. Here request i is due at t0 + i / rate whatever happened
before, is sent on an idle connection or a new one (never queued behind a slow answer),
and its latency runs from when it was due, so any lag of the generator itself counts
against the figure too (the conservative side).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass

from bench import seed
from bench.morning.http import HttpConnection, HttpError
from bench.morning.record import Recorder
from bench.morning.visitor import Visitor
from bench.servers import ServiceProcess


@dataclass(slots=True, kw_only=True)
class RateResult:
    rate: float  # saves per second asked for
    seconds: float  # measured part (after the warm-up)
    attempts: int
    recorder: Recorder
    sent: int = 0  # measured saves sent
    connections: int = 0  # connections the generator had to open
    server_cpu: float = 0.0  # CPU seconds of the server over the measured part
    client_cpu: float = 0.0  # and of this generator
    worst_send_lag: float = 0.0  # how late the generator sent its latest request

    @property
    def achieved(self) -> float:
        return self.recorder.count("save") / self.seconds if self.seconds else 0.0

    def met(self) -> bool:
        r = self.recorder
        return (r.error_count == 0 and r.percentile("save", 99) < 0.010
                and r.percentile("save", 99.9) < 0.050)  # fmt: skip


async def start_attempts(
    service: ServiceProcess, exam_id: str, tokens: list[str], concurrency: int = 32
) -> list[tuple[str, str]]:
    """(attempt path, token) for each candidate, started over HTTP, unmeasured."""
    gate = asyncio.Semaphore(concurrency)

    async def start(token: str) -> tuple[str, str]:
        async with gate:
            visitor = Visitor("127.0.0.1", service.port, token, timeout=60)
            try:
                status, body = await visitor.request("POST", f"{seed.API}/exams/{exam_id}/attempts")
            finally:
                visitor.close()
            if status not in (200, 201):
                raise RuntimeError(f"starting an attempt answered {status}: {body[:200]!r}")
            return f"{seed.API}/attempts/{json.loads(body)['id']}", token

    return list(await asyncio.gather(*(start(t) for t in tokens)))


async def fixed_rate_saves(
    service: ServiceProcess, attempts: list[tuple[str, str]], *, rate: float, seconds: float,
    warmup: float, questions: int, request_timeout: float = 10.0,
) -> RateResult:  # fmt: skip
    loop, rng = asyncio.get_running_loop(), random.Random(30)
    result = RateResult(rate=rate, seconds=seconds, attempts=len(attempts), recorder=Recorder())
    idle: list[HttpConnection] = []
    total = round((warmup + seconds) * rate)
    measured_from = round(warmup * rate)

    async def save(index: int, due: float) -> None:
        path, token = attempts[index % len(attempts)]
        body = json.dumps({"option": rng.choice(seed.OPTIONS)}).encode()
        question = f"q{rng.randint(1, questions)}"
        measured = index >= measured_from
        try:
            connection = idle.pop() if idle else None
            if connection is None or connection.closed:
                connection = await HttpConnection.open("127.0.0.1", service.port)
                result.connections += 1
            connection.send("PUT", f"{path}/answers/{question}", token, body)
            status, _ = await asyncio.wait_for(connection.response(), request_timeout)
        except (HttpError, TimeoutError) as error:
            if measured:
                result.recorder.failed("save", getattr(error, "kind", "timeout"))
            return
        if not connection.closed:
            idle.append(connection)
        if measured:
            if status == 200:
                result.recorder.took("save", loop.time() - due)
            else:
                result.recorder.failed("save", f"HTTP {status}")

    in_flight: set[asyncio.Task[None]] = set()  # done ones dropped: nothing grows with the run
    t0 = loop.time() + 0.05
    cpu_began = client_began = 0.0
    for index in range(total):
        due = t0 + index / rate
        if index == measured_from:
            cpu_began, client_began = service.cpu_seconds(), time.process_time()
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif index >= measured_from:
            result.worst_send_lag = max(result.worst_send_lag, -delay)
        task = asyncio.create_task(save(index, due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)
    result.server_cpu = service.cpu_seconds() - cpu_began
    result.client_cpu = time.process_time() - client_began
    result.sent = total - measured_from
    for connection in idle:
        connection.close()
    return result
