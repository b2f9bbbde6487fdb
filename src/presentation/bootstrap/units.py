"""Units of work: each HTTP request, sweeper pass or CLI command gets its own session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from dishka import AsyncContainer
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from infrastructure.postgres.sessions import DatabaseSessions
from presentation.api.injection import DISHKA_CONTAINER, AppObjects


@asynccontextmanager
async def unit_of_work(container: AsyncContainer) -> AsyncIterator[AsyncContainer]:
    """A request scope of `container` whose database work is one unit (its own session)."""
    sessions = await container.get(DatabaseSessions)
    async with container() as request, sessions.unit():
        yield request


def units_of_work(container: AsyncContainer) -> Callable[[ASGIApp], ASGIApp]:
    """Litestar middleware: every HTTP request (and stream) is one unit of work, and its
    handler resolves use cases from `container`.

    This replaces dishka's own middleware, which opens a DI request scope per request:
    every provider here is app-scoped, so that scope would resolve nothing and only cost.
    """

    objects = AppObjects(container)

    def middleware(app: ASGIApp) -> ASGIApp:
        sessions: DatabaseSessions | None = None

        async def in_unit(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal sessions
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            if sessions is None:
                sessions = await container.get(DatabaseSessions)
            # Where dishka's `inject` looks for the container: `request.state`.
            state = scope.get("state")
            if state is None:
                state = scope["state"] = {}
            state[DISHKA_CONTAINER] = objects
            async with sessions.unit():
                await app(scope, receive, send)

        return in_unit

    return middleware
