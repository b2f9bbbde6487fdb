"""A candidate's writes beyond their rate limit get 429, before any handler or database."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

import msgspec
from dishka import AsyncContainer
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from application.identity import Actor, Role
from application.ports import WriteRateLimit
from presentation.api.problems import PROBLEM_JSON

# What a candidate changes state with: start, save, clear, respond, submit (and any write
# route a candidate's token is refused on, which costs as much to refuse).
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def candidate_write_limit(container: AsyncContainer) -> Callable[[ASGIApp], ASGIApp]:
    """Litestar middleware, after authentication: each write by a candidate passes the
    container's `WriteRateLimit` first, and one over the limit is answered 429 problem
    details with Retry-After, so nothing of it runs. Admins are not limited."""

    def middleware(app: ASGIApp) -> ASGIApp:
        limit: WriteRateLimit | None = None

        def limited(scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
            # Not a coroutine of its own: a read (and each open stream, for its whole life)
            # goes straight on to the app, without a frame here.
            user = scope.get("user")
            if (
                scope["type"] == ScopeType.HTTP
                and scope["method"] in _WRITE_METHODS
                and isinstance(user, Actor)
                and user.role is Role.CANDIDATE
            ):
                return admitted(user, scope, receive, send)
            return app(scope, receive, send)

        async def admitted(user: Actor, scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal limit
            if limit is None:
                resolved: WriteRateLimit = await container.get(WriteRateLimit)
                limit = resolved
            admission = await limit.admit(user.user_id)
            if not admission.admitted:
                await _too_many_writes(send, admission.retry_after_seconds)
                return
            await app(scope, receive, send)

        return limited

    return middleware


async def _too_many_writes(send: Send, retry_after_seconds: float) -> None:
    # Whole seconds, as Retry-After requires, and never 0 (which invites an instant retry).
    retry_after = max(1, math.ceil(retry_after_seconds))
    body = msgspec.json.encode(
        {
            "type": "/problems/too-many-writes",
            "title": "Too many writes",
            "status": 429,
            "detail": f"this candidate's writes are over the rate limit; retry in {retry_after} s",
            "retry_after_seconds": retry_after_seconds,
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
