"""``uv run --group bench python -m bench.clients``: client CPU per round trip, side by side.

What the answer write's connections and the Redis channels save, measured alone: CPU of
this process per `SELECT $1` through asyncpg's pool (configured as the answer write had
it: no reset on release) against `AnswerConnections`, both behind the same first-come
turns; per Redis GET sent alone (redis-py's pool), through `AutoPipeline` (per-turn
pipelines over that pool) and through `PipelinedConnection` (one shared connection); and
per call of a put script (EVALSHA) through the last two. Each at 32 concurrent callers,
alternating the ways for several rounds. Prints a table and appends it with the command
line to today's file under bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import uvloop

from bench.sections import command_line, publish, todays_results
from bench.servers import backing_servers
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.first_come import FirstComeFirstServed
from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.client import create_redis
from infrastructure.redis.pipelined_connection import PipelinedConnection

CONNECTIONS = 20


async def _cpu_per_call(call: Callable[[], Awaitable[object]], callers: int, calls: int) -> float:
    """Microseconds of this process's CPU per call, with `callers` running at once."""
    left = calls

    async def caller() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    started = time.process_time()
    await asyncio.gather(*(caller() for _ in range(callers)))
    return 1e6 * (time.process_time() - started) / calls


async def _measure(
    database_url: str, redis_url: str, callers: int, calls: int, rounds: int
) -> dict[str, list[float]]:
    # As the answer write had it: no reset query on release (it would cost a round trip).
    pool = await asyncpg.create_pool(
        database_url, min_size=CONNECTIONS, max_size=CONNECTIONS, reset=_no_reset
    )
    connections = AnswerConnections(database_url, size=CONNECTIONS)
    turns = FirstComeFirstServed(CONNECTIONS)
    client = create_redis(redis_url, timeout_seconds=1.0)
    commands = AutoPipeline(client)
    pipelined = PipelinedConnection.from_url(redis_url, timeout_seconds=1.0)
    key = f"hgbench-clients-{os.getpid()}"
    await client.set(key, b"x" * 100)
    # The hot-state put's shape: a version check and a SET with an expiry, in Lua.
    script = client.register_script(
        "if (tonumber(redis.call('GET', KEYS[2]) or '-1')) > tonumber(ARGV[1]) then return 0"
        " end redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1"
    )
    put_keys, put_args = [f"{key}-put", f"{key}-version"], [1, b"y" * 100, 60_000]

    async def through_pool() -> None:
        async with turns, pool.acquire() as connection:
            await connection.fetchval("SELECT $1::int", 1)

    async def through_connections() -> None:
        async with connections.lend() as connection:
            await connection.fetchval("SELECT $1::int", 1)

    ways: dict[str, Callable[[], Awaitable[object]]] = {
        "asyncpg pool": through_pool,
        "AnswerConnections": through_connections,
        "redis-py GET alone": lambda: client.get(key),
        "AutoPipeline GET": lambda: commands.execute("GET", key),
        "PipelinedConnection GET": lambda: pipelined.execute("GET", key),
        "AutoPipeline put script": lambda: commands.run_script(script, put_keys, put_args),
        "PipelinedConnection put script": lambda: pipelined.run_script(script, put_keys, put_args),
    }
    found: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for call in ways.values():  # warm-up: connections opened, statements prepared
            await _cpu_per_call(call, callers, calls // 4)
        for _ in range(rounds):
            for name, call in ways.items():
                found[name].append(await _cpu_per_call(call, callers, calls))
    finally:
        await client.delete(key, *put_keys)
        await client.aclose()
        await pipelined.close()
        await pool.close()
        await connections.close()
    return found


async def _no_reset(_: asyncpg.Connection) -> None:
    pass


def _table(found: dict[str, list[float]]) -> str:
    lines = ["| way | µs of client CPU per call (median) | rounds |", "|---|---|---|"]
    for name, values in found.items():
        shown = ", ".join(f"{v:.0f}" for v in values)
        lines.append(f"| {name} | {statistics.median(values):.0f} | {shown} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.clients",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--callers", type=int, default=32)
    parser.add_argument("--calls", type=int, default=20_000, help="per way and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=todays_results())
    parser.add_argument("--no-output", action="store_true")
    args = parser.parse_args(argv)
    with backing_servers(args.database_url, args.redis_url) as backing:
        found = uvloop.run(_measure(backing.database_url, backing.redis_url, args.callers,
                                    args.calls, args.rounds))  # fmt: skip
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = command_line("bench.clients", argv)
    section = (
        f"## {now} — client CPU per round trip\n\n- command: `{command}`\n"
        f"- {args.callers} concurrent callers, {CONNECTIONS} PostgreSQL connections, "
        f"{args.calls:,} calls per way and round, ways alternating; os.cpu_count() = "
        f"{os.cpu_count()}; {backing.origin} servers\n\n{_table(found)}\n"
    )
    publish(section, None if args.no_output else args.output)


if __name__ == "__main__":
    main()
