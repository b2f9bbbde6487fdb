"""One connection to Redis that every request's commands share, pipelined.

Redis answers the commands of one connection in the order it received them, so many
callers can write to the same socket without waiting for each other and take the
replies off in that order (as ioredis and Lettuce do). This is the hot path's client
for the few single commands it sends (a GET of an engine state, the put script): no
connection pool to borrow from, no task per command, and every command written in one
turn of the event loop leaves in one write.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import hiredis
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import DataError, NoScriptError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from infrastructure.redis.commands import RedisCommands, evalsha_or_eval


class PipelinedConnection:
    """Sends each command at once on one shared connection and awaits its own reply.

    Replies are Redis's own (bytes, int, None, lists), without redis-py's per-command
    conversions; an error reply raises redis-py's `ResponseError` (`NoScriptError` for
    NOSCRIPT). A command that has no reply within `timeout_seconds` ends the
    connection: every command still waiting gets `TimeoutError`, and the next command
    connects again. A connection the server closed is replaced on the next command.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int = 6379,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        timeout_seconds: float = 0.5,
    ) -> None:
        self._address = (host, port)
        self._handshake: list[tuple[Any, ...]] = []
        if password is not None:
            credentials = (password,) if username is None else (username, password)
            self._handshake.append(("AUTH", *credentials))
        if db:
            self._handshake.append(("SELECT", db))
        self._timeout = timeout_seconds
        self._link: _Link | None = None
        self._connecting: asyncio.Future[_Link] | None = None

    @classmethod
    def from_url(cls, url: str, *, timeout_seconds: float) -> PipelinedConnection:
        """For a `redis://[user:password@]host[:port][/db]` URL; anything else (TLS, a Unix
        socket) raises ValueError, and the caller keeps redis-py's own connections."""
        parts = urlsplit(url)
        if parts.scheme != "redis" or not parts.hostname:
            raise ValueError(f"not a plain redis://host URL: {parts.scheme}://…")
        path = parts.path.strip("/")
        return cls(
            host=parts.hostname,
            port=parts.port or 6379,
            db=int(path) if path else 0,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            timeout_seconds=timeout_seconds,
        )

    async def execute(self, *args: Any) -> Any:
        """The reply to one command (`"GET", key`), or its error raised."""
        link = self._link
        if link is None or link.lost:
            link = await self._connected()
        return await link.send(_pack(args))

    async def run_script(
        self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]
    ) -> Any:
        """EVALSHA, or EVAL with the source when the server lost the script."""
        return await evalsha_or_eval(self.execute, script, keys, args)

    async def close(self) -> None:
        """Ends the connection (and an attempt to open one): waiting commands fail."""
        connecting, self._connecting = self._connecting, None
        if connecting is not None and not connecting.done():
            connecting.cancel()
        link, self._link = self._link, None
        if link is not None:
            link.close(RedisConnectionError("the connection was closed"))

    async def _connected(self) -> _Link:
        # Concurrent first commands share one connection attempt; one that ended while
        # nobody waited for it (all its callers cancelled) is not handed to the next.
        connecting = self._connecting
        if connecting is None or connecting.done():
            connecting = self._connecting = asyncio.ensure_future(self._connect())
            connecting.add_done_callback(_retrieved)
        try:
            return await asyncio.shield(connecting)
        finally:
            if connecting.done() and self._connecting is connecting:
                self._connecting = None

    async def _connect(self) -> _Link:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._timeout):
                _, link = await loop.create_connection(
                    lambda: _Link(loop, self._timeout), *self._address
                )
        except TimeoutError as error:
            raise RedisTimeoutError(f"connecting to Redis at {self._address}") from error
        except OSError as error:
            raise RedisConnectionError(
                f"connecting to Redis at {self._address}: {error}"
            ) from error
        try:
            for command in self._handshake:
                await link.send(_pack(command))
        except BaseException:
            link.close(RedisConnectionError("the connection's handshake failed"))
            raise
        self._link = link
        return link


class _Link(asyncio.Protocol):
    """One open connection: the callers waiting for replies, in the order sent."""

    def __init__(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self._loop = loop
        self._timeout = timeout
        self._transport: asyncio.Transport | None = None
        self._reader = hiredis.Reader(replyError=ResponseError)
        self._waiting: deque[asyncio.Future[Any]] = deque()
        self._outgoing: list[bytes] = []
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport (uvloop's does not derive from asyncio.Transport).
        self._transport = cast(asyncio.Transport, transport)

    def send(self, command: bytes) -> asyncio.Future[Any]:
        if self.lost:
            raise RedisConnectionError("the connection to Redis was lost")
        reply = self._loop.create_future()
        self._waiting.append(reply)
        if not self._outgoing:
            self._loop.call_soon(self._flush)
        self._outgoing.append(command)
        return reply

    def _flush(self) -> None:
        if self.lost or self._transport is None:
            return
        self._transport.write(b"".join(self._outgoing))
        self._outgoing.clear()
        # One deadline per write: if its last command has no reply by then, Redis (or
        # the network) is stuck and every later reply would be as late.
        self._loop.call_later(self._timeout, self._check, self._waiting[-1])

    def _check(self, last: asyncio.Future[Any]) -> None:
        if not last.done() and not self.lost:
            self.close(RedisTimeoutError(f"no reply from Redis within {self._timeout} s"))

    def data_received(self, data: bytes) -> None:
        reader = self._reader
        try:
            reader.feed(data)
            reply = reader.gets()
            while reply is not False:
                waiter = self._waiting.popleft()
                if not waiter.done():  # its caller may have given up (cancelled)
                    if isinstance(reply, ResponseError):
                        waiter.set_exception(_error(reply))
                    else:
                        waiter.set_result(reply)
                reply = reader.gets()
        except (hiredis.ProtocolError, IndexError) as error:
            # Unparseable, or a reply nobody asked for: nothing later can be matched.
            self.close(RedisConnectionError(f"the Redis connection is out of step: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(RedisConnectionError(f"the connection to Redis was lost: {exc or 'closed'}"))

    def close(self, error: Exception) -> None:
        self._fail(error)
        if self._transport is not None:
            self._transport.abort()

    def _fail(self, error: Exception) -> None:
        self.lost = True
        self._outgoing.clear()
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_exception(error)


def _retrieved(attempt: asyncio.Future[_Link]) -> None:
    # Its callers see the failure; asyncio need not log it again as never retrieved.
    if not attempt.cancelled():
        attempt.exception()


def _error(reply: ResponseError) -> ResponseError:
    message = str(reply)
    if message.startswith("NOSCRIPT"):
        return NoScriptError(message)
    return reply


def _pack(args: Sequence[Any]) -> bytes:
    """A command in RESP: an array of bulk strings."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, bytes):
            data = arg
        elif isinstance(arg, str):
            data = arg.encode()
        elif isinstance(arg, int) and not isinstance(arg, bool):
            data = b"%d" % arg
        elif isinstance(arg, float):
            data = repr(arg).encode()
        else:
            raise DataError(f"cannot send {type(arg).__name__} to Redis: {arg!r}")
        parts.append(b"$%d\r\n%b\r\n" % (len(data), data))
    return b"".join(parts)


_: type[RedisCommands] = PipelinedConnection
