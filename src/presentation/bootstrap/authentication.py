"""The token verifier the settings describe: the shared secret, and an identity provider's
keys when a JWKS URL is set."""

from __future__ import annotations

from infrastructure.secrets import resolve_jwt_secret
from infrastructure.settings import Settings
from presentation.api.jwks import JwksKeys
from presentation.api.token_verifier import TokenVerifier


def token_verifier(settings: Settings) -> TokenVerifier:
    jwks = (
        JwksKeys(
            settings.jwks_url,
            max_age_seconds=settings.jwks_cache_seconds,
            min_refresh_seconds=settings.jwks_min_refresh_seconds,
        )
        if settings.jwks_url
        else None
    )
    return TokenVerifier(
        resolve_jwt_secret(settings),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        jwks=jwks,
    )
