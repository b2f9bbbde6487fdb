"""What the command line needs from the infrastructure, behind plain functions."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

from dishka import make_async_container

from application.ports import SweepReport
from application.webhooks.dispatcher import WebhookDispatcher
from infrastructure.embedded import EmbeddedServers
from infrastructure.postgres.migrations import upgrade_database
from infrastructure.secrets import resolve_jwt_secret
from infrastructure.settings import Settings, load_settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.redis_startup import redis_topology_check
from presentation.bootstrap.sweeper import SweeperLoop
from presentation.bootstrap.units import unit_of_work

T = TypeVar("T")

__all__ = [
    "Settings",
    "backing_services",
    "jwt_secret",
    "load_settings",
    "migrate",
    "run_in_request",
    "webhook_dispatcher",
]


@contextlib.contextmanager
def backing_services(settings: Settings, *, with_redis: bool = True) -> Iterator[Settings]:
    """Settings with database (and Redis) URLs, starting embedded servers for those not set.

    The URLs are exported as HOURGLASS_* variables so worker processes see the same servers.
    Commands that only touch PostgreSQL pass `with_redis=False`, so they can run beside a
    `serve` that owns the data dir's embedded Valkey.
    """
    # platformdirs warns about a missing XDG_RUNTIME_DIR on servers; the fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    embedded = EmbeddedServers(settings.data_path)
    environment = {"HOURGLASS_DATA_DIR": str(settings.data_path)}
    environment["HOURGLASS_DATABASE_URL"] = settings.database_url or embedded.start_postgres()
    if with_redis:
        environment["HOURGLASS_REDIS_URL"] = settings.redis_url or embedded.start_valkey()
    os.environ.update(environment)
    with _termination_unwinds():
        try:
            yield load_settings()
        finally:
            with _termination_ignored():
                embedded.stop()


_TERMINATING = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _termination_unwinds() -> Iterator[None]:
    """SIGTERM raises SystemExit (like SIGINT's KeyboardInterrupt) instead of ending the
    process on the spot, so the embedded servers are stopped on the way out.

    uvicorn handles SIGTERM while it serves, then gives the previous handler back and
    raises the signal again for the exit status: with the default handler that killed the
    process before `embedded.stop()`, leaving PostgreSQL and Valkey running.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_termination)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_termination(number: int, _: object) -> None:
    raise SystemExit(128 + number)


@contextlib.contextmanager
def _termination_ignored() -> Iterator[None]:
    """SIGINT and SIGTERM are ignored in the body: a supervisor that stops a process group
    signals `uv run` and this process at once, and uv forwards its own signal, which must
    not cut the servers' shutdown short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in _TERMINATING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def migrate(settings: Settings) -> None:
    if settings.database_url is None:
        raise RuntimeError("HOURGLASS_DATABASE_URL is not set")
    upgrade_database(settings.database_url)


def jwt_secret(settings: Settings) -> str:
    return resolve_jwt_secret(settings)


async def run_in_request(settings: Settings, action: Callable[[object], Awaitable[T]]) -> T:
    """Run `action(request_container)` inside a DI request scope, as a handler would be."""
    container = make_async_container(*default_providers(), context={Settings: settings})
    try:
        async with unit_of_work(container) as request_container:
            return await action(request_container)
    finally:
        await container.close()


@contextlib.asynccontextmanager
async def webhook_dispatcher(settings: Settings) -> AsyncIterator[WebhookDispatcher]:
    """A webhook dispatcher of its own (no HTTP server), closed with its connections."""
    container = make_async_container(*default_providers(), context={Settings: settings})
    try:
        yield await container.get(WebhookDispatcher)
    finally:
        await container.close()


async def sweep(settings: Settings, *, once: bool, dry_run: bool) -> SweepReport | None:
    """One sweeper pass (index and database) and its report, or run the loop until stopped."""
    container = make_async_container(*default_providers(), context={Settings: settings})
    loop = SweeperLoop(container, settings)
    try:
        await redis_topology_check(container, settings)()  # a mismatch stops here
        if once or dry_run:
            return await loop.sweep_once(dry_run=dry_run)
        await loop.run()
        return None
    finally:
        await container.close()
