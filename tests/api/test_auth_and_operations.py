from __future__ import annotations

import asyncio
from datetime import timedelta

import jwt
import pytest
from litestar import Litestar
from litestar.exceptions import NotAuthorizedException
from litestar.testing import AsyncTestClient

from tests.api.conftest import JWT_SECRET, token

Client = AsyncTestClient[Litestar]


async def test_missing_token_is_401(client: Client) -> None:
    response = await client.get("/api/v1/exams")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_bad_tokens_are_401(client: Client) -> None:
    wrong_signature = jwt.encode(
        {"sub": "eve", "role": "admin", "exp": 4102444800}, "x" * 40, "HS256"
    )
    no_role = jwt.encode({"sub": "eve", "exp": 4102444800}, JWT_SECRET, "HS256")
    no_expiry = jwt.encode({"sub": "eve", "role": "admin"}, JWT_SECRET, "HS256")
    expired = token("eve", lifetime=timedelta(seconds=-10))
    # Both were a 500 (unhashable list; U+0000 refused by PostgreSQL) before claims were typed.
    listed_role = jwt.encode({"sub": "eve", "role": ["admin"], "exp": 4102444800}, JWT_SECRET)
    nul_subject = jwt.encode({"sub": "e\x00ve", "role": "candidate", "exp": 4102444800}, JWT_SECRET)
    for header in [
        "Bearer garbage",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        f"Bearer {wrong_signature}",
        f"Bearer {no_role}",
        f"Bearer {no_expiry}",
        f"Bearer {expired}",
        f"Bearer {listed_role}",
        f"Bearer {nul_subject}",
    ]:
        response = await client.get("/api/v1/exams", headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_public_paths_need_no_token_and_nothing_else_is_public(client: Client) -> None:
    for path in ("/health/live", "/metrics", "/schema/openapi.json", "/take/assets/take.js"):
        response = await client.get(path)
        assert response.status_code == 200, path
    for path in ("/api/v1/exams", "/api/v1/health/live", "/healthz/../api/v1/exams"):
        response = await client.get(path)
        assert response.status_code in (401, 404), path
        assert response.status_code != 200, path
    token_in_url = await client.get(f"/api/v1/exams?access_token={token('eve')}")
    assert token_in_url.status_code == 401  # only the stream takes its token from the URL


async def test_liveness_and_readiness(client: Client) -> None:
    live = await client.get("/health/live")
    ready = await client.get("/health/ready")
    assert live.status_code == 200
    assert ready.status_code == 200
    assert ready.json()["services"] == {"postgres": True, "redis": True}


async def test_openapi_document_and_ui(client: Client) -> None:
    document = await client.get("/schema/openapi.json")
    ui = await client.get("/schema")
    assert document.status_code == 200
    assert "/api/v1/attempts/{attempt_id}/answers/{question_id}" in document.json()["paths"]
    assert ui.status_code == 200


async def test_a_remembered_token_still_expires() -> None:
    import time as clock

    from presentation.api.token_verifier import TokenVerifier

    verifier = TokenVerifier(JWT_SECRET, remembered=2)
    short = jwt.encode(
        {"sub": "ann", "role": "candidate", "exp": int(clock.time()) + 1}, JWT_SECRET, "HS256"
    )
    assert (await verifier.actor(short)).user_id == "ann"
    assert (await verifier.actor(short)).user_id == "ann"  # from memory
    await asyncio.sleep(1.1)
    with pytest.raises(NotAuthorizedException, match="expired"):
        await verifier.actor(short)


async def test_remembering_is_bounded() -> None:
    from presentation.api.token_verifier import TokenVerifier

    verifier = TokenVerifier(JWT_SECRET, remembered=2)
    tokens = [token(f"user-{i}") for i in range(5)]
    assert [(await verifier.actor(t)).user_id for t in tokens] == [f"user-{i}" for i in range(5)]
    assert len(verifier._verified) == 2


async def test_a_token_in_use_stays_remembered() -> None:
    from presentation.api.token_verifier import TokenVerifier

    verifier = TokenVerifier(JWT_SECRET, remembered=2)
    kept, passing, newest = token("kept"), token("passing"), token("newest")
    await verifier.actor(kept)
    await verifier.actor(passing)
    await verifier.actor(kept)  # used again: now the most recent
    await verifier.actor(newest)  # one too many: the least recently used goes
    assert verifier._verified.get(kept) is not None
    assert verifier._verified.get(passing) is None
