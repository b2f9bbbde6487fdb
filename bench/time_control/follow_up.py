"""`python -m bench.time_control.follow_up [--attempts N] [--redis-url URL]`: the Redis
follow-up of an exam-wide change alone, the batch calls against one call per attempt.

For N attempts, in one run, alternating: hot state by `put_all` (one pipelined script
call per attempt) and by N concurrent `put`s (the command channel's batches: what the
follow-up did before), then `schedule_all` (one script call per index group) and
`publish_all` (several updates to a message). Without a URL it starts an embedded Valkey.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis.asyncio as redis

from application.ports import AttemptUpdate, UpdateKind
from domain.attempt import Attempt
from domain.exam import ExamMode
from domain.live_attempt import LiveAttempt
from domain.timer import Timer
from infrastructure.embedded import EmbeddedServers
from infrastructure.redis.deadline_index import RedisDeadlineIndex
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.hot_state import RedisHotStateStore
from infrastructure.redis.live_updates import RedisLiveUpdates

BATCH = 2_000


def _attempts(count: int) -> list[LiveAttempt]:
    now = datetime.now(UTC)
    exam_id = uuid.uuid4()
    return [
        Attempt(
            id=uuid.uuid4(),
            exam_id=exam_id,
            candidate_id=f"fu-{n}",
            mode=ExamMode.FIXED,
            timer=Timer(started_at=now, duration=timedelta(hours=2)),
        )
        for n in range(count)
    ]


async def _measure(url: str, count: int, rounds: int) -> dict[str, list[float]]:
    client = redis.from_url(url, socket_timeout=10)
    prefix = f"hgbenchfu{uuid.uuid4().hex[:6]}"
    store = RedisHotStateStore(client, prefix=prefix, network_grace=timedelta(seconds=2))
    index = RedisDeadlineIndex(client, prefix=prefix, guard=RedisGuard())
    live = RedisLiveUpdates(client, prefix=prefix, guard=RedisGuard())
    attempts = _attempts(count)
    spent: dict[str, list[float]] = {"put_all": [], "put each": [], "schedule_all": [],
                                     "publish_all": []}  # fmt: skip

    async def timed(name: str, work: Callable[[list[LiveAttempt]], Awaitable[None]]) -> None:
        began = time.perf_counter()
        for start in range(0, count, BATCH):
            await work(attempts[start : start + BATCH])
        spent[name].append(time.perf_counter() - began)

    async def each(batch: list[LiveAttempt]) -> None:
        await asyncio.gather(*(store.put(attempt) for attempt in batch))

    async def schedule(batch: list[LiveAttempt]) -> None:
        await index.schedule_all([(a.id, a.timer.deadline) for a in batch])

    async def publish(batch: list[LiveAttempt]) -> None:
        reason = "time_extended"
        await live.publish_all(
            [AttemptUpdate(attempt_id=a.id, kind=UpdateKind.DEADLINE_CHANGED, reason=reason)
             for a in batch]
        )  # fmt: skip

    try:
        for number in range(rounds):
            order = [("put_all", store.put_all), ("put each", each)]
            for name, work in order if number % 2 == 0 else order[::-1]:
                await timed(name, work)
            await timed("schedule_all", schedule)
            await timed("publish_all", publish)
    finally:
        await index.unschedule([attempt.id for attempt in attempts])
        async for key in client.scan_iter(match=f"{prefix}*", count=1_000):
            await client.delete(key)
        await live.close()
        await client.aclose()
    return spent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.time_control.follow_up")
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--redis-url", default=os.environ.get("HOURGLASS_REDIS_URL"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hourglass-bench-") as data_dir:
        servers = EmbeddedServers(Path(data_dir), database_name="unused")
        try:
            url = args.redis_url or servers.start_valkey()
            spent = asyncio.run(_measure(url, args.attempts, args.rounds))
        finally:
            servers.stop()
    load = os.getloadavg()
    command = f"python -m bench.time_control.follow_up --attempts {args.attempts}"
    print(f"`{command} --rounds {args.rounds}`; load average {load[0]:.1f} / {load[1]:.1f}")
    print("\n| step | seconds (median) | rounds |\n|---|---|---|")
    for name, values in spent.items():
        rounds = " / ".join(f"{value:.2f}" for value in values)
        print(f"| {name} | {statistics.median(values):.2f} | {rounds} |")


if __name__ == "__main__":
    main(sys.argv[1:])
