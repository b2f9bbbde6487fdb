"""Bearer JWT authentication: who is calling, before any handler runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import jwt
from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.types import ASGIApp, Receive, Scope, Send

from application.identity import Actor, Role
from presentation.api.token_verifier import ALGORITHM, TokenVerifier

# What every authenticated handler receives: the caller as `request.user`.
ActorRequest = Request[Actor, str, Any]
PUBLIC_PATHS = {"/health", "/schema", "/metrics", "/take", "/proctor"}  # pages and assets


def issue_token(secret: str, *, subject: str, role: Role, lifetime: timedelta) -> str:
    """A signed token for `subject` (what `hourglass token` prints)."""
    expires = datetime.now(UTC) + lifetime
    return jwt.encode({"sub": subject, "role": role.value, "exp": expires}, secret, ALGORITHM)


def bearer_authentication(verifier: TokenVerifier) -> Callable[[ASGIApp], ASGIApp]:
    """Litestar middleware: sets `request.user` to the calling Actor; 401 (problem details,
    from the exception handlers) for a missing or bad token. Public paths and CORS
    preflights pass without one.

    A plain ASGI function rather than Litestar's AbstractAuthenticationMiddleware, which
    per request builds an ASGIConnection, normalises the path and runs the exclusion
    regex, all on the path of every cached timer read.
    """

    def middleware(app: ASGIApp) -> ASGIApp:
        async def authenticated(scope: Scope, receive: Receive, send: Send) -> None:
            if (
                scope["type"] in _AUTHENTICATED_SCOPES
                and not _full_path(scope).startswith(_PUBLIC_PREFIXES)
                and scope.get("method") != "OPTIONS"
            ):
                token = _bearer_token(scope)
                scope["user"] = await verifier.actor(token)
                scope["auth"] = token
            await app(scope, receive, send)

        return authenticated

    return middleware


_AUTHENTICATED_SCOPES = frozenset({ScopeType.HTTP, ScopeType.WEBSOCKET})
_PUBLIC_PREFIXES = tuple(PUBLIC_PATHS)


def _full_path(scope: Scope) -> str:
    # Litestar strips a mounted app's prefix (the web page's assets) from `path`.
    if getattr(scope.get("route_handler"), "is_mount", False):
        return scope["raw_path"].decode("latin-1")
    return scope["path"]


def _bearer_token(scope: Scope) -> str:
    header = _authorization(scope)
    scheme, _, token = header.partition(" ")
    if not header and scope["path"].endswith("/stream"):
        # Browsers' EventSource cannot send headers; only the stream takes the token
        # from the URL, so tokens stay out of other URLs and their logs.
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        scheme, token = "bearer", query.get("access_token", [""])[0]
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("send Authorization: Bearer <token>")
    return token.strip()


def _authorization(scope: Scope) -> str:
    # Straight from the raw ASGI headers: building Litestar's Headers for one lookup costs
    # more than the rest of a cached token check.
    for name, value in scope["headers"]:
        if name.lower() == b"authorization":
            return value.decode("latin-1")
    return ""
