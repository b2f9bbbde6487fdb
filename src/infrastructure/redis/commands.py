"""What the Redis adapters send their single commands through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from redis.commands.core import AsyncScript


class RedisCommands(Protocol):
    """Single commands and scripts, each caller awaiting its own reply (raw: bytes, int,
    None); an error reply raises redis-py's `ResponseError`. `PipelinedConnection` on a
    plain TCP URL, `AutoPipeline` over redis-py's pool for TLS and Unix sockets."""

    async def execute(self, *args: Any) -> Any: ...

    async def run_script(
        self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]
    ) -> Any: ...
