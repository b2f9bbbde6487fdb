"""Live attempt updates over Redis pub/sub, fanned out to this process's watchers."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, cast
from uuid import UUID

import redis.asyncio
from redis.asyncio.cluster import ClusterPubSub
from redis.exceptions import RedisClusterException, RedisError

from application.ports import AttemptUpdate, LiveUpdates, UpdateKind
from infrastructure.faults import PROCESS_FAULTS
from infrastructure.redis.client import is_cluster
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys

logger = logging.getLogger(__name__)

# A watcher that falls this far behind loses updates rather than holding memory; it also
# re-reads the attempt on its own every few seconds, so nothing is lost for good.
_QUEUE_SIZE = 32
# A watcher of every attempt (an exam's stream) hears whole exam-wide changes at once.
_EVERY_QUEUE_SIZE = 1024
# Updates in one published message (a line each) when many are announced at once.
_PER_MESSAGE = 256
# The message that tells every process to resync its watchers (no attempt id parses as "*").
_RESYNC_MESSAGE = b"*|resync|"
# The id a watcher of every attempt hears a resync under.
_NO_ATTEMPT = UUID(int=0)


class RedisLiveUpdates:
    """One channel for the deployment and one subscription per process.

    Updates are rare (a deadline moved, an attempt became final), so every process hears
    all of them and hands each to the local watchers of that attempt. On a cluster the
    channel is a sharded one (SPUBLISH/SSUBSCRIBE, Redis 7 and Valkey 7+): it lives on the
    primary of its slot and its replicas, instead of every message crossing every node's
    cluster bus; redis-py follows the slot to the new primary after a failover.

    A message is lost, not queued, while a subscription is down (redis-py may even
    reconnect and resubscribe on its own) or while a publisher's breaker is open. So every
    subscription confirmation (the first, or one after a gap) sends each local watcher a
    RESYNC, and a process that dropped a publish broadcasts a resync once Redis answers
    again: watchers re-read at once instead of at their next heartbeat.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        prefix: str,
        guard: RedisGuard,
        commands: RedisCommands | None = None,
    ) -> None:
        self._client = client
        self._channel = RedisKeys(prefix).live_channel()
        self._guard = guard
        self._sharded = is_cluster(client)
        self._publish_command = "SPUBLISH" if self._sharded else "PUBLISH"
        # A PUBLISH on the shared pipelined connection rides with other requests' commands
        # (every submit publishes); SPUBLISH goes through the cluster client to its slot.
        self._commands = None if self._sharded else commands
        self._watchers: dict[UUID, set[asyncio.Queue[AttemptUpdate]]] = defaultdict(set)
        self._every: set[asyncio.Queue[AttemptUpdate]] = set()
        self._listener: asyncio.Task[None] | None = None
        self._hooks: list[Callable[[AttemptUpdate], None]] = []
        self._listening_hooks: list[Callable[[bool], None]] = []
        # A publish was dropped (Redis failed or the breaker was open): other processes'
        # watchers may have missed it, so a resync is owed to all of them.
        self._resync_owed = False

    async def publish(self, update: AttemptUpdate) -> None:
        message = _message(update)
        if self._commands is not None:
            commands = self._commands
            channel = self._channel
            sent = await self._guard.call(
                "publish", lambda: commands.execute("PUBLISH", channel, message), _DROPPED
            )
        else:
            sent = await self._guard.call(
                "publish",
                lambda: self._client.execute_command(  # type: ignore[no-untyped-call]
                    self._publish_command, self._channel, message
                ),
                _DROPPED,
            )
        if sent == _DROPPED:
            self._resync_owed = True

    async def publish_all(self, updates: Sequence[AttemptUpdate]) -> None:
        if not updates:
            return
        if len(updates) == 1:  # a submit: no pipeline for one message
            await self.publish(updates[0])
            return
        # Several updates to a message, a line each: an exam-wide change announces
        # thousands, and every message costs each subscribed process a read and a parse.
        messages = [
            b"\n".join(_message(update) for update in updates[start : start + _PER_MESSAGE])
            for start in range(0, len(updates), _PER_MESSAGE)
        ]

        async def publish() -> bool:
            async with self._client.pipeline(transaction=False) as pipe:
                for message in messages:
                    pipe.execute_command(self._publish_command, self._channel, message)
                await pipe.execute()
            return True

        if not await self._guard.call("publish", publish, False):
            self._resync_owed = True

    def on_every_update(self, hook: Callable[[AttemptUpdate], None]) -> None:
        """Call `hook` for every update of any attempt (e.g. to drop local copies)."""
        self._hooks.append(hook)
        self._ensure_listening()

    def on_listening(self, hook: Callable[[bool], None]) -> None:
        """Call `hook(True)` once subscribed (and again at each resync: updates may have
        been missed), `hook(False)` when the subscription is lost: while it is lost,
        updates may be missed."""
        self._listening_hooks.append(hook)
        self._ensure_listening()

    def _listening(self, listening: bool) -> None:
        for hook in self._listening_hooks:
            hook(listening)

    def _ensure_listening(self) -> None:
        if self._listener is None or self._listener.done():
            # A context of its own: the request that happens to start the listener must not
            # lend it that request's unit of work (and keep its session alive).
            self._listener = asyncio.create_task(
                self._listen(), name="hourglass-live-updates", context=contextvars.Context()
            )

    @contextlib.asynccontextmanager
    async def watch(self, attempt_id: UUID) -> AsyncIterator[AsyncIterator[AttemptUpdate]]:
        queue: asyncio.Queue[AttemptUpdate] = asyncio.Queue(_QUEUE_SIZE)
        self._watchers[attempt_id].add(queue)
        self._ensure_listening()
        try:
            yield _drain(queue)
        finally:
            watchers = self._watchers[attempt_id]
            watchers.discard(queue)
            if not watchers:
                del self._watchers[attempt_id]

    @contextlib.asynccontextmanager
    async def watch_every(self) -> AsyncIterator[AsyncIterator[AttemptUpdate]]:
        queue: asyncio.Queue[AttemptUpdate] = asyncio.Queue(_EVERY_QUEUE_SIZE)
        self._every.add(queue)
        self._ensure_listening()
        try:
            yield _drain(queue)
        finally:
            self._every.discard(queue)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener

    async def _listen(self) -> None:
        while True:
            try:
                await self._subscribed()
            except (RedisError, RedisClusterException, OSError) as error:
                self._listening(False)
                PROCESS_FAULTS.redis_failed(error)
                PROCESS_FAULTS.fell_back("subscribe")  # watchers poll PostgreSQL meanwhile
                # redis-py's repr hides the message ("network:ConnectionError"): log it.
                logger.warning(
                    "live updates unavailable (%s: %s); retrying in 1 s",
                    type(error).__name__,
                    error,
                )
                await asyncio.sleep(1.0)

    async def _subscribed(self) -> None:
        # Subscribe confirmations are kept: redis-py resubscribes by itself after a
        # reconnect, and its confirmation is the only sign that messages may have been lost.
        if self._sharded:
            await self._subscribed_to_shard()
            return
        async with self._client.pubsub() as pubsub:
            await pubsub.subscribe(self._channel)
            while True:
                self._received(await pubsub.get_message(timeout=1.0))
                await self._pay_resync()

    async def _subscribed_to_shard(self) -> None:
        pubsub = cast(ClusterPubSub, self._client.pubsub())
        try:
            await pubsub.ssubscribe(self._channel)
            while True:
                self._received(await pubsub.get_sharded_message(timeout=1.0))
                await self._pay_resync()
        finally:
            await pubsub.aclose()

    def _received(self, message: dict[str, Any] | None) -> None:
        if message is None:
            return
        if message["type"] in ("subscribe", "ssubscribe"):
            self._resync()
        elif message["type"] in ("message", "smessage"):
            self._dispatch(message["data"])

    async def _pay_resync(self) -> None:
        """Broadcast the resync owed for a dropped publish, once Redis takes it (while the
        breaker is open the guard drops it again at no cost, and it stays owed)."""
        if not self._resync_owed:
            return
        self._resync_owed = False
        sent = await self._guard.call(
            "publish",
            lambda: self._client.execute_command(  # type: ignore[no-untyped-call]
                self._publish_command, self._channel, _RESYNC_MESSAGE
            ),
            _DROPPED,
        )
        if sent == _DROPPED:
            self._resync_owed = True

    def _resync(self) -> None:
        """Updates may have been missed: local copies are forgotten (the hot state's
        listening hook) and every local watcher re-reads."""
        self._listening(True)
        for attempt_id, queues in self._watchers.items():
            resync = AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.RESYNC, reason="")
            for queue in queues:
                with contextlib.suppress(asyncio.QueueFull):  # it has news to read anyway
                    queue.put_nowait(resync)
        every = AttemptUpdate(attempt_id=_NO_ATTEMPT, kind=UpdateKind.RESYNC, reason="")
        for queue in self._every:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(every)

    def _dispatch(self, data: bytes) -> None:
        for line in data.split(b"\n"):
            self._dispatch_one(line)

    def _dispatch_one(self, data: bytes) -> None:
        if data == _RESYNC_MESSAGE:
            self._resync()
            return
        try:
            raw_id, kind, reason = data.decode().split("|", 2)
            update = AttemptUpdate(attempt_id=UUID(raw_id), kind=UpdateKind(kind), reason=reason)
        except ValueError:
            logger.warning("ignoring a malformed live update: %r", data[:100])
            return
        for hook in self._hooks:
            hook(update)
        for queue in (*self._watchers.get(update.attempt_id, ()), *self._every):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(update)


def _message(update: AttemptUpdate) -> bytes:
    return f"{update.attempt_id}|{update.kind.value}|{update.reason}".encode()


async def _drain(queue: asyncio.Queue[AttemptUpdate]) -> AsyncIterator[AttemptUpdate]:
    while True:
        yield await queue.get()


# What the guard answers for a publish it dropped (PUBLISH itself answers a count).
_DROPPED = -1

_: type[LiveUpdates] = RedisLiveUpdates
