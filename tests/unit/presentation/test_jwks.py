"""RS256/ES256 tokens checked against a JWKS served on 127.0.0.1 with keys made here."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from litestar.exceptions import NotAuthorizedException

from presentation.api.jwks import JwksKeys
from presentation.api.token_verifier import TokenVerifier

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"
CLAIMS = {"sub": "cand-7", "role": "candidate", "exp": 4_102_444_800}


class IdentityProvider:
    """Publishes a JWKS and counts how often it is asked for it."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}  # kid -> private key
        self.published: list[dict[str, Any]] = []
        self.fetches = 0
        self.delay = 0.0

    def add_rsa(self, kid: str) -> None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys[kid] = private
        jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
        self.published.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})

    def add_ec(self, kid: str) -> None:
        private = ec.generate_private_key(ec.SECP256R1())
        self.keys[kid] = private
        jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
        self.published.append({**jwk, "kid": kid, "use": "sig", "alg": "ES256"})

    def token(self, kid: str, algorithm: str = "RS256", **claims: Any) -> str:
        return jwt.encode({**CLAIMS, **claims}, self.keys[kid], algorithm, headers={"kid": kid})


@pytest.fixture
def provider() -> Iterator[tuple[IdentityProvider, str]]:
    idp = IdentityProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            idp.fetches += 1
            time.sleep(idp.delay)
            body = json.dumps({"keys": idp.published}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield idp, f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_rs256_and_es256_tokens_are_verified_with_the_published_keys(
    provider: tuple[IdentityProvider, str],
) -> None:
    idp, url = provider
    idp.add_rsa("rsa-1")
    idp.add_ec("ec-1")
    verifier = TokenVerifier(SECRET, jwks=JwksKeys(url))
    assert (await verifier.actor(idp.token("rsa-1"))).user_id == "cand-7"
    assert (await verifier.actor(idp.token("ec-1", "ES256", sub="cand-8"))).user_id == "cand-8"
    assert idp.fetches == 1  # both keys came with the first fetch
    hs256 = jwt.encode(CLAIMS, SECRET, "HS256")
    assert (await verifier.actor(hs256)).user_id == "cand-7"  # the secret still works


async def test_a_key_is_used_only_with_its_own_algorithm(
    provider: tuple[IdentityProvider, str],
) -> None:
    idp, url = provider
    idp.add_rsa("rsa-1")
    verifier = TokenVerifier(SECRET, jwks=JwksKeys(url))
    public_pem = (
        idp.keys["rsa-1"].public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    # The classic confusion: HS256 "signed" with the provider's public key as the secret.
    confused = _raw_hs256(public_pem, kid="rsa-1")
    with pytest.raises(NotAuthorizedException):
        await verifier.actor(confused)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(CLAIMS, other, "RS256", headers={"kid": "rsa-1"})
    with pytest.raises(NotAuthorizedException):
        await verifier.actor(forged)
    es_naming_the_rsa_key = jwt.encode(
        CLAIMS, ec.generate_private_key(ec.SECP256R1()), "ES256", headers={"kid": "rsa-1"}
    )
    with pytest.raises(NotAuthorizedException, match="does not sign with ES256"):
        await verifier.actor(es_naming_the_rsa_key)
    for header in ({"alg": "RS256"}, {"alg": "RS256", "kid": 7}, {"alg": "RS256", "kid": ""}):
        with pytest.raises(NotAuthorizedException):
            await verifier.actor(_with_header(header))


async def test_rotation_fetches_a_new_kid_once_and_refuses_an_unknown_one_after_one_refresh(
    provider: tuple[IdentityProvider, str],
) -> None:
    idp, url = provider
    clock = Clock()
    keys = JwksKeys(url, min_refresh_seconds=30, max_age_seconds=300, clock=clock)
    verifier = TokenVerifier(SECRET, jwks=keys)
    idp.add_rsa("2026-01")
    assert (await verifier.actor(idp.token("2026-01"))).user_id == "cand-7"
    assert idp.fetches == 1

    clock.now += 31
    idp.add_rsa("2026-02")  # the provider rotates: a new key appears
    assert (await verifier.actor(idp.token("2026-02", sub="cand-9"))).user_id == "cand-9"
    assert (await verifier.actor(idp.token("2026-02", sub="cand-10"))).user_id == "cand-10"
    assert idp.fetches == 2  # fetched once for the new kid, then known

    clock.now += 31
    made_up = [
        jwt.encode(CLAIMS, idp.keys["2026-01"], "RS256", headers={"kid": f"made-up-{n}"})
        for n in range(5)
    ]
    for token in made_up:
        with pytest.raises(NotAuthorizedException, match="no published signing key"):
            await verifier.actor(token)
    assert idp.fetches == 3  # one refresh for the first unknown kid, none for the others


async def test_concurrent_unknown_kids_share_one_fetch(
    provider: tuple[IdentityProvider, str],
) -> None:
    idp, url = provider
    idp.add_rsa("k")
    idp.delay = 0.2
    verifier = TokenVerifier(SECRET, jwks=JwksKeys(url))
    made_up = [
        jwt.encode(CLAIMS, idp.keys["k"], "RS256", headers={"kid": f"x{n}"}) for n in range(20)
    ]
    outcomes = await asyncio.gather(*(verifier.actor(t) for t in made_up), return_exceptions=True)
    assert all(isinstance(o, NotAuthorizedException) for o in outcomes)
    assert idp.fetches == 1


async def test_fetching_keys_does_not_block_the_event_loop(
    provider: tuple[IdentityProvider, str],
) -> None:
    idp, url = provider
    idp.add_rsa("k")
    idp.delay = 0.5  # a slow identity provider
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        verifier = TokenVerifier(SECRET, jwks=JwksKeys(url))
        assert (await verifier.actor(idp.token("k"))).user_id == "cand-7"
    finally:
        ticker.cancel()
    assert ticks >= 20  # the loop went on turning while the keys were fetched


async def test_a_retired_key_stops_working_and_an_outage_keeps_the_known_keys(
    provider: tuple[IdentityProvider, str],
) -> None:
    idp, url = provider
    clock = Clock()
    keys = JwksKeys(url, min_refresh_seconds=30, max_age_seconds=300, clock=clock)
    verifier = TokenVerifier(SECRET, jwks=keys)
    idp.add_rsa("old")
    idp.add_rsa("new")
    old_token = idp.token("old")
    assert (await verifier.actor(old_token)).user_id == "cand-7"

    clock.now += 301
    idp.published = [jwk for jwk in idp.published if jwk["kid"] != "old"]  # retired
    assert (await verifier.actor(idp.token("new"))).user_id == "cand-7"  # refreshed: stale
    with pytest.raises(NotAuthorizedException):
        await verifier.actor(old_token)  # remembered, but its key is no longer published

    clock.now += 301
    idp.published = []  # the provider answers with nothing usable
    assert (await verifier.actor(idp.token("new", sub="cand-11"))).user_id == "cand-11"


def _segment(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _raw_hs256(secret: bytes, *, kid: str) -> str:
    """HS256 by hand: PyJWT itself refuses to use a PEM public key as an HMAC secret."""
    head = _segment(json.dumps({"alg": "HS256", "kid": kid}).encode())
    body = _segment(json.dumps(CLAIMS).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_segment(signature)}"


def _with_header(header: dict[str, Any]) -> str:
    head = _segment(json.dumps(header).encode())
    return f"{head}.{_segment(json.dumps(CLAIMS).encode())}.{_segment(b'signature')}"
