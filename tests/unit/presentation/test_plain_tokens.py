"""The HS256 shortcut accepts only what PyJWT accepts, with the same claims, and takes
the plain tokens it exists for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from application.identity import Role
from presentation.api.auth import issue_token
from presentation.api.plain_tokens import plain_hs256_claims

SECRET = "a-secret-of-thirty-two-bytes-or-more"
REQUIRED = ("exp", "sub", "role")


def segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(header: dict[str, Any], claims: dict[str, Any], secret: str = SECRET) -> str:
    head = segment(json.dumps(header).encode()) + "." + segment(json.dumps(claims).encode())
    signature = hmac.digest(secret.encode(), head.encode(), hashlib.sha256)
    return head + "." + segment(signature)


def shortcut(
    token: str, *, issuer: str | None = None, audience: str | None = None
) -> dict[str, Any] | None:
    required = [*REQUIRED, *(["iss"] if issuer else []), *(["aud"] if audience else [])]
    return plain_hs256_claims(
        token, SECRET.encode(), now=time.time(), required=required,
        issuer=issuer, audience=audience,
    )  # fmt: skip


def pyjwt(
    token: str, *, issuer: str | None = None, audience: str | None = None
) -> dict[str, Any] | None:
    required = [*REQUIRED, *(["iss"] if issuer else []), *(["aud"] if audience else [])]
    try:
        claims: dict[str, Any] = jwt.decode(
            token, SECRET, algorithms=["HS256"], issuer=issuer, audience=audience,
            options={"require": required},
        )  # fmt: skip
    except jwt.InvalidTokenError:
        return None
    return claims


HEADER = {"alg": "HS256", "typ": "JWT"}


def claims(**extra: Any) -> dict[str, Any]:
    return {"sub": "cand-1", "role": "candidate", "exp": int(time.time()) + 3600, **extra}


def test_a_token_hourglass_issues_takes_the_shortcut_with_pyjwts_claims() -> None:
    token = issue_token(SECRET, subject="cand-1", role=Role.CANDIDATE, lifetime=timedelta(hours=1))
    assert shortcut(token) == pyjwt(token)
    assert shortcut(token) is not None


def test_issuer_and_audience_when_configured() -> None:
    token = signed(HEADER, claims(iss="idp", aud=["other", "hourglass"]))
    assert shortcut(token, issuer="idp", audience="hourglass") is not None
    assert shortcut(token, issuer="idp", audience="hourglass") == pyjwt(
        token, issuer="idp", audience="hourglass"
    )


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (
            lambda: signed(HEADER, claims(), secret="another-secret-of-thirty-two-bytes"),
            "wrong key",
        ),
        (lambda: signed(HEADER, claims(exp=int(time.time()) - 1)), "expired"),
        (lambda: signed({"alg": "HS512"}, claims()), "another algorithm"),
        (lambda: signed({"alg": "none"}, claims()), "no algorithm"),
        (lambda: signed({"alg": "HS256", "kid": "k1"}, claims()), "a key id"),
        (lambda: signed({"alg": "HS256", "crit": ["b64"], "b64": False}, claims()), "crit"),
        (lambda: signed(HEADER, claims(nbf=int(time.time()) + 60)), "not yet valid"),
        (lambda: signed(HEADER, claims(iat=int(time.time()) + 60)), "issued in the future"),
        (lambda: signed(HEADER, claims(exp=True)), "a boolean expiry"),
        (lambda: signed(HEADER, claims(exp="2999999999")), "an expiry as text"),
        (lambda: signed(HEADER, claims(sub=7)), "a numeric subject"),
        (lambda: signed(HEADER, claims(aud="someone")), "an audience nobody configured"),
        (lambda: signed(HEADER, {"sub": "cand-1", "exp": int(time.time()) + 60}), "no role"),
        (lambda: signed(HEADER, claims()) + "=", "padding"),
        (lambda: signed(HEADER, claims())[:-2], "a cut signature"),
        (lambda: "a.b", "two segments"),
        (lambda: "not a token", "not base64url"),
        (lambda: "", "empty"),
    ],
)
def test_anything_else_is_left_to_pyjwt(make: Callable[[], str], why: str) -> None:
    # Made when the test runs, not when it is collected: a long suite must not age them.
    assert shortcut(make()) is None, why


def test_a_configured_issuer_or_audience_that_does_not_match_is_left_to_pyjwt() -> None:
    token = signed(HEADER, claims(iss="idp", aud="hourglass"))
    assert shortcut(token, issuer="someone-else") is None
    assert shortcut(token, audience="someone-else") is None
    assert shortcut(signed(HEADER, claims()), issuer="idp") is None
    assert shortcut(signed(HEADER, claims()), audience="hourglass") is None


# Moments far enough from now that the two checks cannot straddle a second boundary.
_AHEAD = st.integers(min_value=30, max_value=10**8)
_moments = st.one_of(
    _AHEAD.map(lambda s: int(time.time()) + s),
    _AHEAD.map(lambda s: int(time.time()) - s),
    _AHEAD.map(lambda s: time.time() + s + 0.5),
    st.booleans(),
    st.text(max_size=3),
    st.none(),
)
_texts = st.one_of(st.sampled_from(["idp", "hourglass", "other", ""]), st.integers(), st.none())
_audiences = st.one_of(_texts, st.lists(_texts, max_size=3))


@st.composite
def _tokens(draw: st.DrawFn) -> tuple[str, str | None, str | None]:
    header: dict[str, Any] = {"alg": draw(st.sampled_from(["HS256", "HS256", "HS384", "none"]))}
    for name, values in (("typ", st.sampled_from(["JWT", "jwt", 1])), ("kid", st.just("k"))):
        if draw(st.booleans()):
            header[name] = draw(values)
    body: dict[str, Any] = {}
    for name, values in (
        ("exp", _moments), ("iat", _moments), ("nbf", _moments),
        ("sub", st.one_of(st.text(max_size=5), st.integers())),
        ("role", st.sampled_from(["candidate", "admin", "x"])),
        ("iss", _texts), ("aud", _audiences), ("jti", _texts),
    ):  # fmt: skip
        if draw(st.booleans()):
            body[name] = draw(values)
    key = draw(st.sampled_from([SECRET, SECRET, "another-secret-of-thirty-two-bytes"]))
    token = signed(header, body, secret=key)
    issuer = draw(st.sampled_from([None, "idp"]))
    audience = draw(st.sampled_from([None, "hourglass"]))
    return token, issuer, audience


@settings(max_examples=400, deadline=None)
@given(_tokens())
def test_whatever_the_shortcut_accepts_pyjwt_accepts_with_the_same_claims(
    case: tuple[str, str | None, str | None],
) -> None:
    token, issuer, audience = case
    taken = shortcut(token, issuer=issuer, audience=audience)
    event("taken" if taken is not None else "left to PyJWT")
    if taken is not None:
        assert taken == pyjwt(token, issuer=issuer, audience=audience)


@settings(max_examples=200, deadline=None)
@given(
    sub=st.text(min_size=1, max_size=20),
    role=st.sampled_from(["candidate", "admin"]),
    lifetime=st.integers(min_value=30, max_value=10**7),
    iat=st.booleans(),
)
def test_every_plain_token_takes_the_shortcut(
    sub: str, role: str, lifetime: int, iat: bool
) -> None:
    now = int(time.time())
    body = {"sub": sub, "role": role, "exp": now + lifetime, **({"iat": now - 1} if iat else {})}
    token = signed(HEADER, body)
    assert shortcut(token) == body == pyjwt(token)
