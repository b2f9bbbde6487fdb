"""The sweeper finishes sections by their clocks on real PostgreSQL and Redis, in real time:
the same deadline index, reconciliation and row locks as attempts' expiry (issue 17)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start
from tests.api.test_sweeper import sweeping
from tests.backend import Backend

Client = AsyncTestClient[Litestar]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _question(qid: str) -> dict[str, Any]:
    return {
        "id": qid,
        "stem": f"{qid}?",
        "options": [{"key": "A", "text": "yes"}, {"key": "B", "text": "no"}],
        "correct_key": "A",
    }


async def _exam(client: Client, *sections: dict[str, Any]) -> dict[str, Any]:
    questions = [_question(qid) for section in sections for qid in section["question_ids"]]
    return await create_exam(
        client, duration_seconds=600, grace_seconds=0, questions=questions, sections=list(sections)
    )


async def _events(client: Client, attempt_id: str, kind: str, within: float) -> list[Any]:
    """Poll the audit trail (which changes nothing itself) until `kind` shows up."""
    waited = 0.0
    while waited < within:
        events = (await client.get(f"/api/v1/attempts/{attempt_id}/events", headers=ADMIN)).json()
        found = [event for event in events if event["kind"] == kind]
        if found:
            return found
        await asyncio.sleep(0.05)
        waited += 0.05
    raise AssertionError(f"no {kind} event for attempt {attempt_id} within {within} s")


async def _started(client: Client, exam_id: str) -> tuple[dict[str, Any], str]:
    candidate = f"sec-{uuid.uuid4().hex[:8]}"
    response = await start(client, exam_id, candidate)
    assert response.status_code == 201, response.text
    return response.json(), candidate


async def test_a_one_second_section_is_finished_within_a_second(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await _exam(
        client,
        {"id": "quick", "duration_seconds": 1, "question_ids": ["a1"]},
        {"id": "rest", "question_ids": ["b1"]},
    )
    async with sweeping(backend, clock, network_grace_seconds=0):
        attempt, candidate = await _started(client, exam["id"])
        finished = await _events(client, attempt["id"], "section_finished", within=5)
    deadline = _at(attempt["sections"][0]["deadline"])
    lag = (_at(finished[0]["at"]) - deadline).total_seconds()
    assert 0 <= lag < 1.0, lag
    assert finished[0]["data"] == {
        "section_id": "quick",
        "next_section_id": "rest",
        "by": "clock",
        "deadline": finished[0]["data"]["deadline"],
    }
    read = (await client.get(f"/api/v1/attempts/{attempt['id']}", headers=auth(candidate))).json()
    assert read["status"] == "in_progress"
    assert read["current_section"] == "rest"


async def test_an_untouched_attempt_whose_last_section_times_out_expires(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await _exam(
        client,
        {"id": "first", "question_ids": ["a1", "a2"]},
        {"id": "last", "duration_seconds": 1, "question_ids": ["b1"]},
    )
    attempt, candidate = await _started(client, exam["id"])
    base = f"/api/v1/attempts/{attempt['id']}"
    saved = await client.put(f"{base}/answers/a1", json={"option": "A"}, headers=auth(candidate))
    assert saved.status_code == 200
    finished = await client.post(f"{base}/sections/first/finish", headers=auth(candidate))
    entered = _at(finished.json()["sections"][1]["deadline"])
    # The candidate goes away; only the sweeper touches the attempt from now on.
    async with sweeping(backend, clock, network_grace_seconds=0):
        expired = await _events(client, attempt["id"], "expired", within=5)
    assert 0 <= (_at(expired[0]["at"]) - entered).total_seconds() < 1.0
    result = (await client.get(base, headers=ADMIN)).json()["result"]
    assert (result["status"], result["score"], result["answered"]) == ("expired", 1, 1)
    assert _at(result["expired_at"]) == entered


async def test_a_section_redis_forgot_is_finished_by_reconciliation(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await _exam(
        client,
        {"id": "quick", "duration_seconds": 1, "question_ids": ["a1"]},
        {"id": "rest", "question_ids": ["b1"]},
    )
    attempt, _ = await _started(client, exam["id"])
    connection = await backend.redis_client()
    try:  # everything of this run in Redis is gone: hot state and the deadline index
        keys = [key async for key in connection.scan_iter(match=f"{backend.key_prefix}*")]
        if keys:
            await connection.delete(*keys)
    finally:
        await connection.aclose()
    async with sweeping(backend, clock, network_grace_seconds=0):
        finished = await _events(client, attempt["id"], "section_finished", within=5)
    assert finished[0]["data"]["section_id"] == "quick"


async def test_two_sweepers_finish_each_section_exactly_once(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await _exam(
        client,
        {"id": "one", "duration_seconds": 1, "question_ids": ["a1"]},
        {"id": "two", "duration_seconds": 1, "question_ids": ["b1"]},
    )
    attempts = [await _started(client, exam["id"]) for _ in range(20)]
    async with (
        sweeping(backend, clock, network_grace_seconds=0),
        sweeping(backend, clock, network_grace_seconds=0, sweep_batch_size=7),
    ):
        for attempt, _ in attempts:
            await _events(client, attempt["id"], "expired", within=10)
        await asyncio.sleep(0.5)  # let both loops run more passes over the same rows
    for attempt, _ in attempts:
        events = (
            await client.get(f"/api/v1/attempts/{attempt['id']}/events", headers=ADMIN)
        ).json()
        finished = [e["data"]["section_id"] for e in events if e["kind"] == "section_finished"]
        assert finished == ["one", "two"]
        assert [e["kind"] for e in events].count("expired") == 1
