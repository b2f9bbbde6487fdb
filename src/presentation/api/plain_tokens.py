"""The common case of a bearer token, checked without PyJWT: HS256 with the shared secret.

Why not PyJWT here: every start of an attempt brings a token nobody has seen yet (the
verifier remembers the ones it has checked), and PyJWT spent 85 µs on one of them: a
sixth of a start's CPU in the start's profile, where this takes under 10 µs. It reads
the header twice, prepares the key (PEM and DER checks of a shared secret) and parses
both JSON parts with the standard library on every call.

This is a shortcut, not a second rule. It accepts only the plain form that `issue_token`
and ordinary platforms sign: three base64url segments, a header of `alg` (HS256) and at
most `typ`, a valid signature, and claims of the expected types that PyJWT would pass
with the same settings. Anything else, a bad signature or an expired token included,
gets None, and the caller lets PyJWT decide: its errors stay the ones clients see. A
property test checks that whatever this accepts PyJWT accepts with the same claims.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import re
from base64 import urlsafe_b64decode
from collections.abc import Sequence
from typing import Any

import msgspec

_SEGMENTS = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")
_PLAIN_HEADER_KEYS = frozenset({"alg", "typ"})
_NUMBERS = (int, float)
_decode_object = msgspec.json.Decoder(dict[str, Any]).decode


def plain_hs256_claims(
    token: str,
    secret: bytes,
    *,
    now: float,
    required: Sequence[str],
    issuer: str | None,
    audience: str | None,
) -> dict[str, Any] | None:
    """The token's claims if it is a plain HS256 token signed with `secret` that PyJWT
    would accept now with these settings; None when this cannot tell (let PyJWT decide)."""
    segments = _SEGMENTS.fullmatch(token)
    if segments is None:
        return None
    header_part, payload_part, signature_part = segments.groups()
    try:
        header = _decode_object(_from_base64url(header_part))
        if header.get("alg") != "HS256" or not header.keys() <= _PLAIN_HEADER_KEYS:
            return None
        signature = _from_base64url(signature_part)
        signed = token[: segments.end(2)].encode("ascii")
        if not hmac.compare_digest(hmac.digest(secret, signed, hashlib.sha256), signature):
            return None
        claims = _decode_object(_from_base64url(payload_part))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        return None
    if _plain_claims(claims, now, required, issuer, audience):
        return claims
    return None


def _from_base64url(segment: str) -> bytes:
    return urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _plain_claims(
    claims: dict[str, Any],
    now: float,
    required: Sequence[str],
    issuer: str | None,
    audience: str | None,
) -> bool:
    """PyJWT's checks (2.x, no leeway) on the claims, where each one passes plainly."""
    if any(claims.get(name) is None for name in required):
        return False
    exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf")
    # PyJWT compares int(claim): exp must be after now, iat and nbf not after it.
    if exp is not None and (type(exp) not in _NUMBERS or int(exp) <= now):
        return False
    for moment in (iat, nbf):
        if moment is not None and (type(moment) not in _NUMBERS or int(moment) > now):
            return False
    for name in ("sub", "jti"):
        if name in claims and type(claims[name]) is not str:
            return False
    if issuer is not None and claims.get("iss") != issuer:
        return False
    aud = claims.get("aud")
    if audience is None:
        return "aud" not in claims
    if type(aud) is str:
        return aud == audience
    return type(aud) is list and all(type(a) is str for a in aud) and audience in aud
