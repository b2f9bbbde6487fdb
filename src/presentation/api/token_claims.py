"""The claims a verified token must carry, with strict types: anything else is a 401."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar.exceptions import NotAuthorizedException

from application.identity import Actor, Role

# The longest `sub` taken as a candidate id: it is stored with every attempt and event.
MAX_SUBJECT_LENGTH = 255
# 9999-12-31T23:59:59Z: past it a timestamp is no date any datetime can hold.
_LATEST_TIMESTAMP = 253_402_300_799

Timestamp = Annotated[float, msgspec.Meta(ge=0, le=_LATEST_TIMESTAMP)]


class Claims(msgspec.Struct, frozen=True):
    """What Hourglass reads from a token. PyJWT has already checked the signature and
    the registered claims' values (exp, nbf, iat, iss, aud), but not Hourglass's own
    `role`, and it takes some types that would fail later, such as an `exp` string."""

    sub: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SUBJECT_LENGTH)]
    role: Role
    exp: Timestamp
    nbf: Timestamp | None = None
    iat: Timestamp | None = None


def actor_of(payload: dict[str, Any]) -> tuple[Actor, float]:
    """The caller a token's claims name, and when the token expires."""
    try:
        claims = msgspec.convert(payload, Claims, strict=True)
    except msgspec.ValidationError as error:
        raise NotAuthorizedException(f"invalid token claims: {error}") from error
    # isprintable() refuses control characters (U+0000 among them), lone surrogates and
    # line breaks: none can be stored by PostgreSQL or shown in an audit trail as is.
    if not claims.sub.isprintable() or not claims.sub.strip():
        raise NotAuthorizedException("the token's sub claim must be printable text")
    return Actor(user_id=claims.sub, role=claims.role), claims.exp
