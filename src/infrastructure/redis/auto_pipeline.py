"""Single Redis commands from concurrent requests, sent together as one pipeline."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import redis.asyncio
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError

from infrastructure.redis.commands import RedisCommands, evalsha_or_eval

_Waiting = tuple[tuple[Any, ...], "asyncio.Future[Any] | None"]


class AutoPipeline:
    """Sends the commands issued in one turn of the event loop as one pipeline.

    redis-py spends more CPU on each command it sends alone (a pooled connection, its
    bookkeeping, a write and a read) than on the command's share of a pipeline
    (`python -m bench.clients`; figures in docs/benchmarks.md, "Client libraries"). Under load, many
    requests reach the same Redis step in the same turn of the loop; the first becomes
    the leader, waits one turn for the others, and sends everyone's commands in one round
    trip. A command alone in its turn is sent as it is, so an idle service pays nothing
    extra.
    Every caller still awaits its own reply: nothing is acknowledged before Redis has it.
    Not a transaction: each command succeeds or fails on its own.
    """

    def __init__(self, client: redis.asyncio.Redis) -> None:
        self._client = client
        self._collecting: list[_Waiting] | None = None

    async def execute(self, *args: Any) -> Any:
        """The reply to one command (`"GET", key`), or its error raised."""
        if self._collecting is not None:
            reply = asyncio.get_running_loop().create_future()
            self._collecting.append((args, reply))
            return await reply
        batch: list[_Waiting] = [(args, None)]
        self._collecting = batch
        try:
            await asyncio.sleep(0)  # one turn of the loop: the others join `batch`
        except BaseException:
            self._collecting = None
            _fail(batch, RedisConnectionError("the command batch's leader was cancelled"))
            raise
        self._collecting = None
        if len(batch) == 1:
            return await self._client.execute_command(*args)  # type: ignore[no-untyped-call]
        return await self._send(batch)

    async def run_script(
        self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]
    ) -> Any:
        """EVALSHA, or EVAL with the source when the server lost the script."""
        return await evalsha_or_eval(self.execute, script, keys, args)

    async def _send(self, batch: list[_Waiting]) -> Any:
        pipe = self._client.pipeline(transaction=False)
        for args, _ in batch:
            pipe.execute_command(*args)
        try:
            replies = await pipe.execute(raise_on_error=False)
        except Exception as error:
            _fail(batch, error)
            raise
        except BaseException:  # cancelled: the others must not wait for ever
            _fail(batch, RedisConnectionError("the command batch's leader was cancelled"))
            raise
        for (_, waiter), reply in zip(batch[1:], replies[1:], strict=True):
            if waiter is not None and not waiter.done():
                if isinstance(reply, Exception):
                    waiter.set_exception(reply)
                else:
                    waiter.set_result(reply)
        own = replies[0]
        if isinstance(own, Exception):
            raise own
        return own


def _fail(batch: list[_Waiting], error: Exception) -> None:
    for _, waiter in batch[1:]:
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)


_: type[RedisCommands] = AutoPipeline
