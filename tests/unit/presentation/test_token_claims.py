"""Every token whose claims have the wrong type or value is a 401, never an error."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.exceptions import NotAuthorizedException

from application.identity import Role
from presentation.api.token_verifier import TokenVerifier

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"
LATER = 4_102_444_800  # 2100-01-01
GOOD: dict[str, Any] = {"sub": "cand-1", "role": "candidate", "exp": LATER}


def _signed(payload_json: str, secret: str = SECRET) -> str:
    """An HS256 token around exactly this payload text (json.dumps cannot write NaN keys
    twice or a bare Infinity on purpose, so some cases need the raw text)."""

    def part(raw: bytes) -> bytes:
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    head = part(b'{"alg":"HS256","typ":"JWT"}') + b"." + part(payload_json.encode())
    signature = hmac.new(secret.encode(), head, hashlib.sha256).digest()
    return (head + b"." + part(signature)).decode()


MALFORMED = {
    "role is a list": {**GOOD, "role": ["admin"]},
    "role is an object": {**GOOD, "role": {"admin": True}},
    "role is unknown": {**GOOD, "role": "superuser"},
    "role is a number": {**GOOD, "role": 1},
    "role is null": {**GOOD, "role": None},
    "sub is a number": {**GOOD, "sub": 42},
    "sub is a list": {**GOOD, "sub": ["cand-1"]},
    "sub is empty": {**GOOD, "sub": ""},
    "sub is blank": {**GOOD, "sub": "   "},
    "sub holds U+0000": {**GOOD, "sub": "cand\x00-1"},
    "sub holds a line break": {**GOOD, "sub": "cand\n-1"},
    "sub holds a lone surrogate": {**GOOD, "sub": "cand\ud800"},
    "sub is too long": {**GOOD, "sub": "c" * 256},
    "exp is a string": {**GOOD, "exp": str(LATER)},
    "exp is a list": {**GOOD, "exp": [LATER]},
    "exp is true": {**GOOD, "exp": True},
    "exp is past year 9999": {**GOOD, "exp": 10**13},
    "nbf is a string": {**GOOD, "nbf": "0"},
    "iat is an object": {**GOOD, "iat": {}},
    "sub is missing": {"role": "candidate", "exp": LATER},
    "exp is missing": {"sub": "cand-1", "role": "candidate"},
}
RAW = {
    "exp is Infinity": '{"sub":"cand-1","role":"candidate","exp":Infinity}',
    "exp is NaN": '{"sub":"cand-1","role":"candidate","exp":NaN}',
    "exp overflows": '{"sub":"cand-1","role":"candidate","exp":1e400}',
    "payload is a list": '["cand-1","candidate"]',
    "payload is not JSON": "{sub",
}


@pytest.mark.parametrize("claims", MALFORMED.values(), ids=MALFORMED.keys())
async def test_claims_of_the_wrong_type_or_value_are_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(NotAuthorizedException):
        await TokenVerifier(SECRET).actor(jwt.encode(claims, SECRET, "HS256"))


@pytest.mark.parametrize("payload", RAW.values(), ids=RAW.keys())
async def test_payloads_json_cannot_hold_are_refused(payload: str) -> None:
    with pytest.raises(NotAuthorizedException):
        await TokenVerifier(SECRET).actor(_signed(payload))


@pytest.mark.parametrize(
    "header",
    [{"alg": "none"}, {"alg": ["HS256"]}, {"alg": "RS256", "kid": "k1"}, {"alg": "HS512"}],
    ids=["none", "alg list", "RS256 without JWKS", "HS512"],
)
async def test_algorithms_other_than_the_configured_ones_are_refused(
    header: dict[str, Any],
) -> None:
    head = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    body = _signed(json.dumps(GOOD)).split(".", 1)[1]
    with pytest.raises(NotAuthorizedException):
        await TokenVerifier(SECRET).actor(f"{head}.{body}")


async def test_a_well_formed_token_names_its_caller() -> None:
    actor = await TokenVerifier(SECRET).actor(jwt.encode({**GOOD, "exp": 1e10}, SECRET))
    assert (actor.user_id, actor.role) == ("cand-1", Role.CANDIDATE)


async def test_issuer_and_audience_must_match_when_configured() -> None:
    verifier = TokenVerifier(SECRET, issuer="https://idp.example", audience="hourglass")
    meant = {**GOOD, "iss": "https://idp.example", "aud": "hourglass"}
    assert (await verifier.actor(jwt.encode(meant, SECRET))).user_id == "cand-1"
    for claims in (
        GOOD,  # neither
        {**meant, "iss": "https://other.example"},
        {**meant, "aud": "another-service"},
        {**meant, "aud": ["another-service"]},
        {**meant, "iss": 5},
        {**meant, "aud": [1, {}]},
        {key: value for key, value in meant.items() if key != "aud"},
    ):
        with pytest.raises(NotAuthorizedException):
            await verifier.actor(_signed(json.dumps(claims)))


async def test_a_token_for_some_audience_is_refused_when_none_is_configured() -> None:
    with pytest.raises(NotAuthorizedException, match="audience"):
        await TokenVerifier(SECRET).actor(jwt.encode({**GOOD, "aud": "elsewhere"}, SECRET))


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and infinities too: json.dumps writes them, PyJWT reads them
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)
_CLAIM_VALUES = {
    "sub": st.sampled_from(["cand-1", "", "\x00"]) | _JSON,
    "role": st.sampled_from(["candidate", "admin"]) | _JSON,
    "exp": st.sampled_from([LATER, float(LATER), 1]) | _JSON,
    "nbf": _JSON,
    "iat": _JSON,
    "iss": st.just("https://idp.example") | _JSON,
    "aud": st.just("hourglass") | _JSON,
    "jti": _JSON,
}


@settings(max_examples=150, deadline=None)
@given(
    claims=st.fixed_dictionaries({}, optional=_CLAIM_VALUES),
    checked=st.booleans(),
)
async def test_no_signed_payload_is_anything_but_a_caller_or_a_401(
    claims: dict[str, Any], checked: bool
) -> None:
    verifier = (
        TokenVerifier(SECRET, issuer="https://idp.example", audience="hourglass")
        if checked
        else TokenVerifier(SECRET)
    )
    try:
        actor = await verifier.actor(_signed(json.dumps(claims)))
    except NotAuthorizedException:
        return
    assert actor.user_id == claims["sub"]
    assert actor.role == claims["role"]
