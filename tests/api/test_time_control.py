from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _started(client: Client, **exam: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    created = await create_exam(client, **exam)
    candidate = f"tc-{uuid.uuid4().hex[:8]}"
    response = await start(client, created["id"], candidate)
    assert response.status_code == 201
    return created, response.json(), candidate


async def test_extension_moves_the_deadline_and_a_late_answer_is_then_accepted(
    client: Client, clock: TravellingClock
) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=60, grace_seconds=0)
    base = f"/api/v1/attempts/{attempt['id']}"
    extended = await client.post(
        f"{base}/extensions", json={"seconds": 120, "reason": "fire alarm"}, headers=ADMIN
    )
    assert extended.status_code == 200
    assert (_at(extended.json()["deadline"]) - _at(attempt["deadline"])).total_seconds() == 120
    clock.advance(100)  # would have been past deadline + network grace without the extension
    saved = await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=auth(candidate))
    assert saved.status_code == 200
    assert saved.json()["late"] is False
    events = (await client.get(f"{base}/events", headers=ADMIN)).json()
    extension = next(e for e in events if e["kind"] == "time_extended")
    assert extension["data"]["seconds"] == 120
    assert extension["data"]["reason"] == "fire alarm"


async def test_extension_errors(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    path = f"/api/v1/attempts/{attempt['id']}/extensions"
    for body in [
        {"seconds": 0, "reason": "x"},
        {"seconds": -8 * 24 * 3600, "reason": "x"},  # more than a week taken away
        {"seconds": 1e300, "reason": "x"},
        {"seconds": 60},
        {"seconds": 60, "reason": ""},
        {"seconds": 60, "reason": "   "},
    ]:
        assert (await client.post(path, json=body, headers=ADMIN)).status_code == 422, body
    candidate_try = await client.post(
        path, json={"seconds": 60, "reason": "x"}, headers=auth(candidate)
    )
    assert candidate_try.status_code == 403
    missing = f"/api/v1/attempts/{uuid.uuid4()}/extensions"
    assert (
        await client.post(missing, json={"seconds": 60, "reason": "x"}, headers=ADMIN)
    ).status_code == 404
    await client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=auth(candidate))
    final = await client.post(path, json={"seconds": 60, "reason": "x"}, headers=ADMIN)
    assert final.status_code == 409


async def test_pause_freezes_time_and_resume_moves_the_deadline(
    client: Client, clock: TravellingClock
) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=600)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    clock.advance(100)
    paused = await client.post(f"{base}/pause", json={"reason": "proctor check"}, headers=ADMIN)
    assert paused.status_code == 200
    body = paused.json()
    assert (body["status"], body["paused"]) == ("in_progress", True)
    frozen = body["remaining_seconds"]
    assert 499 <= frozen <= 500
    assert (
        await client.post(f"{base}/pause", json={"reason": "again"}, headers=ADMIN)
    ).status_code == 409
    clock.advance(300)
    remaining = (await client.get(f"{base}/remaining", headers=headers)).json()
    assert remaining["paused"] is True
    assert abs(remaining["remaining_seconds"] - frozen) < 1
    refused = await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=headers)
    assert refused.status_code == 409
    assert (await client.post(f"{base}/submit", headers=headers)).status_code == 409
    resumed = await client.post(f"{base}/resume", headers=ADMIN)
    assert resumed.status_code == 200
    assert resumed.json()["paused"] is False
    assert (_at(resumed.json()["deadline"]) - _at(attempt["deadline"])).total_seconds() >= 299
    assert abs(resumed.json()["remaining_seconds"] - frozen) < 1
    assert (await client.post(f"{base}/resume", headers=ADMIN)).status_code == 409
    assert (
        await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=headers)
    ).status_code == 200


async def test_accommodation_applies_at_once_and_to_later_attempts(client: Client) -> None:
    exam, attempt, candidate = await _started(client, duration_seconds=600, max_attempts=2)
    path = f"/api/v1/exams/{exam['id']}/accommodations/{candidate}"
    granted = await client.put(
        path,
        json={"time_multiplier": 1.5, "extra_seconds": 60, "reason": "dyslexia"},
        headers=ADMIN,
    )
    assert granted.status_code == 200
    assert granted.json() == {
        "candidate_id": candidate,
        "time_multiplier": 1.5,
        "extra_seconds": 60.0,
        "reason": "dyslexia",
    }
    now = (await client.get(f"/api/v1/attempts/{attempt['id']}", headers=auth(candidate))).json()
    assert (_at(now["deadline"]) - _at(attempt["deadline"])).total_seconds() == 360  # 300 + 60
    await client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=auth(candidate))
    second = (await start(client, exam["id"], candidate)).json()
    assert (_at(second["deadline"]) - _at(second["started_at"])).total_seconds() == 960
    listed = await client.get(f"/api/v1/exams/{exam['id']}/accommodations", headers=ADMIN)
    assert [a["candidate_id"] for a in listed.json()] == [candidate]


async def test_accommodation_errors(client: Client) -> None:
    exam = await create_exam(client)
    path = f"/api/v1/exams/{exam['id']}/accommodations/someone"
    for body in [
        {"extra_seconds": 1e300, "reason": "x"},
        {"time_multiplier": 11, "reason": "x"},
        {"time_multiplier": 0.5, "reason": "x"},
        {"extra_seconds": -1, "reason": "x"},
        {"time_multiplier": 1.5},
        {"time_multiplier": 1.5, "reason": " "},
    ]:
        assert (await client.put(path, json=body, headers=ADMIN)).status_code == 422, body
    ok = {"time_multiplier": 1.25, "reason": "x"}
    assert (await client.put(path, json=ok, headers=auth("someone"))).status_code == 403
    unknown = f"/api/v1/exams/{uuid.uuid4()}/accommodations/someone"
    assert (await client.put(unknown, json=ok, headers=ADMIN)).status_code == 404
    assert (
        await client.get(f"/api/v1/exams/{exam['id']}/accommodations", headers=auth("x"))
    ).status_code == 403


async def test_admin_sweep_and_stats(client: Client, clock: TravellingClock) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=30, grace_seconds=0)
    await client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/q1",
        json={"option": "B"},
        headers=auth(candidate),
    )
    clock.advance(40)
    dry = await client.post("/api/v1/admin/sweep", json={"dry_run": True}, headers=ADMIN)
    assert dry.status_code == 200
    assert attempt["id"] in dry.json()["attempt_ids"]
    still = (await client.get(f"/api/v1/attempts/{attempt['id']}/events", headers=ADMIN)).json()
    assert "expired" not in [e["kind"] for e in still]
    swept = await client.post("/api/v1/admin/sweep", headers=ADMIN)
    assert swept.status_code == 200
    assert attempt["id"] in swept.json()["attempt_ids"]
    assert swept.json()["expired"] >= 1
    final = (await client.get(f"/api/v1/attempts/{attempt['id']}", headers=ADMIN)).json()
    assert final["result"]["status"] == "expired"
    assert final["result"]["score"] == 2
    stats = await client.get("/api/v1/admin/stats", headers=ADMIN)
    assert stats.status_code == 200
    body = stats.json()
    assert body["active_attempts"] >= 0
    assert body["redis"]["used_memory_bytes"] > 0
    assert body["sweeper"]["total_expired"] >= 1
    assert (await client.get("/api/v1/admin/stats", headers=auth(candidate))).status_code == 403
    assert (await client.post("/api/v1/admin/sweep", headers=auth(candidate))).status_code == 403
