"""Which Redis server process answers: its run_id changes with every restart."""

from __future__ import annotations

import redis.asyncio

from infrastructure.redis.guard import RedisGuard


async def server_run_id(client: redis.asyncio.Redis, guard: RedisGuard) -> str | None:
    """The server's run_id (INFO server), None when Redis is unreachable. A restart so
    quick that no command failed leaves the breaker closed; a new run_id still shows an
    empty (or older) dataset that needs the deadline index refilled."""

    async def read() -> str | None:
        info = await client.info("server")
        run_id = info.get("run_id")
        return None if run_id is None else str(run_id)

    return await guard.call("server run id", read, None)
