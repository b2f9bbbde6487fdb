"""POST /exams/{exam_id}/time-control: every attempt in progress of an exam at once."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import datetime
from typing import Any

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start
from tests.api.test_stream import _events, _read_stream
from tests.backend import Backend

Client = AsyncTestClient[Litestar]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _exam_with(client: Client, count: int, **exam: Any) -> tuple[str, list[dict[str, Any]]]:
    created = await create_exam(client, **exam)
    attempts = []
    for _ in range(count):
        candidate = f"etc-{uuid.uuid4().hex[:8]}"
        attempts.append((await start(client, created["id"], candidate)).json())
    return created["id"], attempts


async def _read(client: Client, attempt: dict[str, Any]) -> dict[str, Any]:
    return dict((await client.get(f"/api/v1/attempts/{attempt['id']}", headers=ADMIN)).json())


async def _outbox_types(backend: Backend, attempt: dict[str, Any]) -> list[str]:
    connection = await asyncpg.connect(backend.database_url)
    try:
        rows = await connection.fetch(
            "SELECT type FROM webhook_events WHERE subject_id = $1 ORDER BY id",
            uuid.UUID(attempt["id"]),
        )
    finally:
        await connection.close()
    return [row["type"] for row in rows]


async def test_extend_every_attempt_in_progress_and_audit_each(
    client: Client, backend: Backend
) -> None:
    exam_id, attempts = await _exam_with(client, 3)
    done = attempts[2]
    await client.post(f"/api/v1/attempts/{done['id']}/submit", headers=auth(done["candidate_id"]))
    path = f"/api/v1/exams/{exam_id}/time-control"
    response = await client.post(
        path, json={"action": "extend", "seconds": 120, "reason": "fire alarm"}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"affected": 2}
    for attempt in attempts[:2]:
        now = await _read(client, attempt)
        assert (_at(now["deadline"]) - _at(attempt["deadline"])).total_seconds() == 120
        events = (
            await client.get(f"/api/v1/attempts/{attempt['id']}/events", headers=ADMIN)
        ).json()
        assert events[-1]["kind"] == "time_extended"
        assert events[-1]["data"]["reason"] == "fire alarm"
    assert (await _read(client, done))["status"] == "submitted"
    taken = await client.post(
        path, json={"action": "extend", "seconds": -60, "reason": "undo half"}, headers=ADMIN
    )
    assert taken.json() == {"affected": 2}
    now = await _read(client, attempts[0])
    assert (_at(now["deadline"]) - _at(attempts[0]["deadline"])).total_seconds() == 60
    # Each attempt's changes are in the outbox with the change, as a single change's are.
    for attempt in attempts[:2]:
        assert await _outbox_types(backend, attempt) == [
            "attempt.started",
            "attempt.time_changed",
            "attempt.time_changed",
        ]


async def test_pause_and_resume_all_or_the_named_candidates(
    client: Client, clock: TravellingClock
) -> None:
    exam_id, attempts = await _exam_with(client, 3)
    path = f"/api/v1/exams/{exam_id}/time-control"
    named = [attempts[0]["candidate_id"]]
    some = await client.post(
        path, json={"action": "pause", "reason": "noise", "candidate_ids": named}, headers=ADMIN
    )
    assert some.json() == {"affected": 1}
    assert (await _read(client, attempts[0]))["paused"] is True
    assert (await _read(client, attempts[1]))["paused"] is False
    everyone = await client.post(path, json={"action": "pause", "reason": "drill"}, headers=ADMIN)
    assert everyone.json() == {"affected": 2}  # the one already paused is left out
    clock.advance(60)
    saved = await client.put(
        f"/api/v1/attempts/{attempts[1]['id']}/answers/q1",
        json={"option": "B"},
        headers=auth(attempts[1]["candidate_id"]),
    )
    assert saved.status_code == 409
    resumed = await client.post(path, json={"action": "resume", "reason": "over"}, headers=ADMIN)
    assert resumed.json() == {"affected": 3}
    after = await _read(client, attempts[1])
    assert after["paused"] is False
    assert (_at(after["deadline"]) - _at(attempts[1]["deadline"])).total_seconds() >= 59
    none = await client.post(path, json={"action": "resume", "reason": "again"}, headers=ADMIN)
    assert none.json() == {"affected": 0}


async def test_time_control_refusals(client: Client) -> None:
    exam_id, attempts = await _exam_with(client, 1)
    path = f"/api/v1/exams/{exam_id}/time-control"
    for body in [
        {"action": "extend", "reason": "x"},
        {"action": "extend", "seconds": 0, "reason": "x"},
        {"action": "extend", "seconds": 8 * 24 * 3600, "reason": "x"},
        {"action": "pause", "seconds": 10, "reason": "x"},
        {"action": "stop", "reason": "x"},
        {"action": "pause", "reason": " "},
        {"action": "pause"},
        {"action": "pause", "reason": "x", "candidate_ids": ["bad id"]},
    ]:
        assert (await client.post(path, json=body, headers=ADMIN)).status_code == 422, body
    ok = {"action": "pause", "reason": "x"}
    candidate = auth(attempts[0]["candidate_id"])
    assert (await client.post(path, json=ok, headers=candidate)).status_code == 403
    unknown = f"/api/v1/exams/{uuid.uuid4()}/time-control"
    assert (await client.post(unknown, json=ok, headers=ADMIN)).status_code == 404


async def test_each_candidates_stream_is_told_at_once(client: Client, live_server: str) -> None:
    exam_id, attempts = await _exam_with(client, 1, duration_seconds=60, grace_seconds=0)
    attempt = attempts[0]

    async def admin_acts() -> None:
        await asyncio.sleep(0.7)
        body = {"action": "extend", "seconds": 30, "reason": "x"}
        response = await client.post(
            f"/api/v1/exams/{exam_id}/time-control", json=body, headers=ADMIN
        )
        assert response.json() == {"affected": 1}
        await asyncio.sleep(0.7)
        await client.post(
            f"/api/v1/attempts/{attempt['id']}/submit", headers=auth(attempt["candidate_id"])
        )

    acting = asyncio.create_task(admin_acts())
    url = f"{live_server}/api/v1/attempts/{attempt['id']}/stream"
    _, body = await asyncio.wait_for(
        _read_stream(url, headers=auth(attempt["candidate_id"])), timeout=20
    )
    await acting
    changed = [data for kind, data in _events(body) if kind == "deadline_changed"]
    assert changed
    assert changed[0]["reason"] == "time_extended"
    assert (_at(changed[0]["deadline"]) - _at(attempt["deadline"])).total_seconds() == 30


async def test_ten_thousand_attempts_in_one_call(client: Client, backend: Backend) -> None:
    exam = await create_exam(client, duration_seconds=3600)
    connection = await asyncpg.connect(backend.database_url)
    try:
        await connection.execute(
            """
            INSERT INTO attempts (id, exam_id, candidate_id, number, mode, status, started_at,
              duration_seconds, time_multiplier, extra_seconds, extension_seconds,
              paused_seconds, grace_seconds, deadline, version, updated_at)
            SELECT gen_random_uuid(), $1::uuid, 'many-' || n, 1, 'fixed', 'in_progress', now(),
              3600, 1, 0, 0, 0, 5, now() + interval '1 hour', 0, now()
            FROM generate_series(1, 10000) n
            """,
            uuid.UUID(exam["id"]),
        )
    finally:
        await connection.close()
    path = f"/api/v1/exams/{exam['id']}/time-control"
    started = time.perf_counter()
    response = await client.post(
        path, json={"action": "extend", "seconds": 300, "reason": "bus strike"}, headers=ADMIN
    )
    elapsed = time.perf_counter() - started
    # Speed is the bench's to judge (the 5 s target, issue 16); the test prints the figure.
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    print(f"\nexam-wide extension: 10,000 attempts in {elapsed:.2f} s (load {load:.1f}/core)")
    assert response.json() == {"affected": 10_000}
    listed = await client.get(
        f"/api/v1/exams/{exam['id']}/attempts", params={"limit": 1}, headers=ADMIN
    )
    assert listed.json()["items"][0]["remaining_seconds"] > 3600 + 200
    started = time.perf_counter()
    paused = await client.post(path, json={"action": "pause", "reason": "check"}, headers=ADMIN)
    print(f"exam-wide pause: 10,000 attempts in {time.perf_counter() - started:.2f} s")
    assert paused.json() == {"affected": 10_000}
