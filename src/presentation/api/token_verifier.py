"""Who a bearer token names: its signature, its key and its claims checked."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
from jwt import PyJWK
from litestar.exceptions import NotAuthorizedException

from application.bounded_cache import BoundedCache
from application.identity import Actor
from presentation.api.jwks import JwksKeys
from presentation.api.plain_tokens import plain_hs256_claims
from presentation.api.token_claims import actor_of

ALGORITHM = "HS256"  # what `issue_token` signs with, and every deployment accepts
# Accepted from an identity provider, with a key from its JWKS. Never HS256 with a JWKS
# key, nor "none": the algorithm picks the key, and each key has one algorithm.
PROVIDER_ALGORITHMS = ("RS256", "ES256")
_MAX_KID_LENGTH = 256


class TokenVerifier:
    """Checks a bearer token's signature, expiry and claims, and names its user.

    HS256 tokens are checked with `secret`; RS256 and ES256 tokens, when `jwks` is given,
    with the identity provider's key their `kid` names. `issuer` and `audience`, when
    given, must match the token's `iss` and `aud`. A token with an `aud` is refused when
    no audience is configured (PyJWT's rule: it was meant for someone else).

    A candidate sends the same token with every autosave and timer poll, and checking a
    signature costs more than the rest of a cached read, so tokens already verified are
    remembered (until their `exp`, which is checked again on every use, and while their
    provider key is still published).
    """

    def __init__(
        self,
        secret: str,
        *,
        issuer: str | None = None,
        audience: str | None = None,
        jwks: JwksKeys | None = None,
        remembered: int = 50_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secret.encode()  # PyJWT takes the bytes as they are
        self._issuer = issuer
        self._audience = audience
        self._jwks = jwks
        self._required = ["exp", "sub", "role"]
        self._required += ["iss"] if issuer else []
        self._required += ["aud"] if audience else []
        self._clock = clock
        # token -> (caller, expiry, provider key id or None for the shared secret); the
        # least recently used goes first, so a candidate's token in use stays remembered.
        self._verified: BoundedCache[str, tuple[Actor, float, str | None]] = BoundedCache(
            remembered
        )

    async def actor(self, token: str) -> Actor:
        known = self._verified.get(token)
        if known is not None:
            actor, expires, kid = known
            if self._clock() < expires and (kid is None or self._still_published(kid)):
                return actor
            self._verified.pop(token)
        actor, expires, kid = await self._verify(token)
        self._verified.put(token, (actor, expires, kid))
        return actor

    def _still_published(self, kid: str) -> bool:
        return self._jwks is not None and self._jwks.knows(kid)

    async def _verify(self, token: str) -> tuple[Actor, float, str | None]:
        plain = plain_hs256_claims(
            token, self._secret, now=self._clock(), required=self._required,
            issuer=self._issuer, audience=self._audience,
        )  # fmt: skip
        if plain is not None:
            actor, expires = actor_of(plain)
            return actor, expires, None
        key, algorithm, kid = await self._key_for(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": self._required},
            )
        except jwt.ExpiredSignatureError as error:
            raise NotAuthorizedException("the token has expired") from error
        except jwt.InvalidTokenError as error:
            raise NotAuthorizedException(f"invalid token: {error}") from error
        actor, expires = actor_of(claims)
        return actor, expires, kid

    async def _key_for(self, token: str) -> tuple[bytes | PyJWK, str, str | None]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise NotAuthorizedException(f"invalid token: {error}") from error
        algorithm = header.get("alg")
        if algorithm == ALGORITHM:
            return self._secret, ALGORITHM, None
        if self._jwks is None or algorithm not in PROVIDER_ALGORITHMS:
            raise NotAuthorizedException("the token's algorithm is not accepted here")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > _MAX_KID_LENGTH:
            raise NotAuthorizedException("the token must name its signing key (kid)")
        key = await self._jwks.key(kid)
        if key.algorithm_name != algorithm:
            raise NotAuthorizedException(f"key {kid!r} does not sign with {algorithm}")
        return key, str(algorithm), kid
