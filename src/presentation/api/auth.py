"""Bearer JWT authentication: who is calling, before any handler runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware

from application.identity import Actor, Role

ALGORITHM = "HS256"
PUBLIC_PATHS = {"/health", "/schema", "/metrics", "/take"}  # /take: page and /take/assets


class TokenVerifier:
    """Checks a bearer token's signature, expiry and claims, and names its user."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def actor(self, token: str) -> Actor:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
            )
        except jwt.ExpiredSignatureError as error:
            raise NotAuthorizedException("the token has expired") from error
        except jwt.InvalidTokenError as error:
            raise NotAuthorizedException(f"invalid token: {error}") from error
        subject, role = claims.get("sub"), claims.get("role")
        if not isinstance(subject, str) or not subject:
            raise NotAuthorizedException("the token's sub claim must be a non-empty string")
        if role not in {r.value for r in Role}:
            raise NotAuthorizedException("the token's role claim must be candidate or admin")
        return Actor(user_id=subject, role=Role(role))


def issue_token(secret: str, *, subject: str, role: Role, lifetime: timedelta) -> str:
    """A signed token for `subject` (what `hourglass token` prints)."""
    expires = datetime.now(UTC) + lifetime
    return jwt.encode({"sub": subject, "role": role.value, "exp": expires}, secret, ALGORITHM)


class BearerAuthentication(AbstractAuthenticationMiddleware):
    """Sets `request.user` to the calling Actor; 401 for a missing or bad token."""

    def __init__(self, app: Any, verifier: TokenVerifier, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._verifier = verifier

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not header and connection.url.path.endswith("/stream"):
            # Browsers' EventSource cannot send headers; only the stream takes the token
            # from the URL, so tokens stay out of other URLs and their logs.
            scheme, token = "bearer", connection.query_params.get("access_token", "")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("send Authorization: Bearer <token>")
        return AuthenticationResult(user=self._verifier.actor(token.strip()), auth=token)


def bearer_authentication(verifier: TokenVerifier) -> DefineMiddleware:
    return DefineMiddleware(
        BearerAuthentication, verifier=verifier, exclude=[f"^{p}" for p in PUBLIC_PATHS]
    )
