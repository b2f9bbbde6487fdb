"""A candidate's writes over the limit get 429 with Retry-After, and change nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from presentation.bootstrap.app import create_app
from tests.api.conftest import ADMIN, ClockProvider, TravellingClock, api_settings, auth
from tests.api.conftest import create_exam as create_exam_with
from tests.backend import Backend

Client = AsyncTestClient[Litestar]
# Slow refill, so the few writes of a test never earn a new one while it runs.
LIMITS = {"rate_limit_writes_per_second": 0.5, "rate_limit_burst": 3}


async def _limited_client(backend: Backend, clock: TravellingClock, **overrides: object) -> Client:
    settings = api_settings(backend, **LIMITS, **overrides)  # type: ignore[arg-type]
    return AsyncTestClient(app=create_app(settings, ClockProvider(clock)))


@pytest.fixture(scope="module")
async def limited(backend: Backend, clock: TravellingClock) -> AsyncIterator[Client]:
    async with await _limited_client(backend, clock) as test_client:
        yield test_client


@pytest.fixture(scope="module")
async def limited_without_redis(backend: Backend, clock: TravellingClock) -> AsyncIterator[Client]:
    client = await _limited_client(backend, clock, redis_url="redis://127.0.0.1:1/0")
    async with client as test_client:
        yield test_client


async def _writes_until_refused(client: Client) -> tuple[str, dict[str, str]]:
    """Start (write 1) and two saves (writes 2, 3): the burst of 3 is used up."""
    exam = await create_exam_with(client)
    candidate = f"cand-{uuid.uuid4().hex[:8]}"
    headers = auth(candidate)
    started = await client.post(f"/api/v1/exams/{exam['id']}/attempts", headers=headers)
    assert started.status_code == 201, started.text
    base = f"/api/v1/attempts/{started.json()['id']}"
    for question in ("q1", "q2"):
        saved = await client.put(
            f"{base}/answers/{question}", json={"option": "A"}, headers=headers
        )
        assert saved.status_code == 200, saved.text
    return base, headers


async def _assert_refused_and_nothing_saved(
    client: Client, base: str, headers: dict[str, str]
) -> None:
    over = await client.put(f"{base}/answers/q3", json={"option": "B"}, headers=headers)
    assert over.status_code == 429
    assert over.headers["content-type"].startswith("application/problem+json")
    assert over.headers["retry-after"] == "2"  # one write per 2 s, in whole seconds
    assert over.json()["status"] == 429
    for refused in (
        await client.delete(f"{base}/answers/q1", headers=headers),
        await client.post(f"{base}/submit", headers=headers),
    ):
        assert refused.status_code == 429
    # Reads are not limited, and show that none of the refused writes happened.
    attempt = await client.get(base, headers=headers)
    assert attempt.status_code == 200
    assert attempt.json()["version"] == 2
    assert attempt.json()["status"] == "in_progress"
    events = (await client.get(f"{base}/events", headers=headers)).json()
    saved = [e["data"]["question_id"] for e in events if e["kind"] == "answer_saved"]
    assert saved == ["q1", "q2"]
    assert not [e for e in events if e["kind"] == "answer_cleared"]


async def test_the_write_past_the_burst_is_429_and_saves_nothing(limited: Client) -> None:
    base, headers = await _writes_until_refused(limited)
    await _assert_refused_and_nothing_saved(limited, base, headers)


@pytest.mark.redis_outage
async def test_with_redis_down_each_process_still_limits(limited_without_redis: Client) -> None:
    base, headers = await _writes_until_refused(limited_without_redis)
    await _assert_refused_and_nothing_saved(limited_without_redis, base, headers)


async def test_admins_and_other_candidates_are_not_held_back(limited: Client) -> None:
    for _ in range(5):  # more than a candidate's burst
        assert (await limited.post("/api/v1/exams", json={}, headers=ADMIN)).status_code != 429
    base, headers = await _writes_until_refused(limited)
    over = await limited.put(f"{base}/answers/q3", json={"option": "B"}, headers=headers)
    assert over.status_code == 429
    another = auth(f"cand-{uuid.uuid4().hex[:8]}")
    exam = await create_exam_with(limited)
    started = await limited.post(f"/api/v1/exams/{exam['id']}/attempts", headers=another)
    assert started.status_code == 201
