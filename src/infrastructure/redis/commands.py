"""What the Redis adapters send their single commands through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError


class RedisCommands(Protocol):
    """Single commands and scripts, each caller awaiting its own reply; an error reply
    raises redis-py's `ResponseError`. `PipelinedConnection` on a plain TCP URL (Redis's
    own replies), `AutoPipeline` over redis-py's pool for TLS and Unix sockets (redis-py's
    conversions: SET gives True, not b"OK"). Callers rely only on what both give alike:
    a GET's bytes or None, a script's own reply."""

    async def execute(self, *args: Any) -> Any: ...

    async def run_script(
        self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]
    ) -> Any: ...


async def evalsha_or_eval(
    execute: Callable[..., Awaitable[Any]],
    script: AsyncScript,
    keys: Sequence[Any],
    args: Sequence[Any],
) -> Any:
    """EVALSHA through `execute`; a server that lost the script (a restart, SCRIPT FLUSH)
    gets its source, and EVAL caches it there again."""
    try:
        return await execute("EVALSHA", script.sha, len(keys), *keys, *args)
    except NoScriptError:
        return await execute("EVAL", script.script, len(keys), *keys, *args)
