"""POST /attempts/{id}/terminate, and extensions that take time away."""

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


async def _started(client: Client, **exam: Any) -> tuple[dict[str, Any], str]:
    created = await create_exam(client, **exam)
    candidate = f"lc-{uuid.uuid4().hex[:8]}"
    response = await start(client, created["id"], candidate)
    assert response.status_code == 201
    return response.json(), candidate


async def test_terminate_scores_like_a_submit_and_ends_the_attempt(
    client: Client, clock: TravellingClock
) -> None:
    attempt, candidate = await _started(client)
    base = f"/api/v1/attempts/{attempt['id']}"
    await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=auth(candidate))
    await client.put(f"{base}/answers/q2", json={"option": "B"}, headers=auth(candidate))
    clock.advance(30)
    ended = await client.post(f"{base}/terminate", json={"reason": "cheating"}, headers=ADMIN)
    assert ended.status_code == 200, ended.text
    result = ended.json()
    assert result["status"] == "terminated"
    assert (result["score"], result["max_score"], result["answered"], result["correct"]) == (
        2,
        4,
        2,
        1,
    )
    assert 29 <= result["time_taken_seconds"] <= 32
    assert "terminated_at" in result
    assert "submitted_at" not in result
    read = (await client.get(base, headers=auth(candidate))).json()
    assert read["status"] == "terminated"
    assert read["remaining_seconds"] == 0
    refused = await client.put(f"{base}/answers/q3", json={"option": "B"}, headers=auth(candidate))
    assert refused.status_code == 409
    assert (await client.post(f"{base}/submit", headers=auth(candidate))).status_code in (409, 200)
    again = await client.post(f"{base}/terminate", json={"reason": "twice"}, headers=ADMIN)
    assert again.status_code == 409
    events = (await client.get(f"{base}/events", headers=ADMIN)).json()
    terminated = [e for e in events if e["kind"] == "terminated"]
    assert len(terminated) == 1
    assert terminated[0]["data"]["reason"] == "cheating"
    listed = await client.get(
        f"/api/v1/exams/{attempt['exam_id']}/attempts",
        params={"status": "terminated"},
        headers=ADMIN,
    )
    assert [i["id"] for i in listed.json()["items"]] == [attempt["id"]]


async def test_a_paused_attempt_can_be_terminated(client: Client, clock: TravellingClock) -> None:
    attempt, _ = await _started(client)
    base = f"/api/v1/attempts/{attempt['id']}"
    clock.advance(10)
    await client.post(f"{base}/pause", json={"reason": "check"}, headers=ADMIN)
    clock.advance(100)
    ended = await client.post(f"{base}/terminate", json={"reason": "left"}, headers=ADMIN)
    assert ended.status_code == 200
    assert 9 <= ended.json()["time_taken_seconds"] <= 12  # the pause is not working time


async def test_terminate_refusals(client: Client, clock: TravellingClock) -> None:
    attempt, candidate = await _started(client, duration_seconds=60, grace_seconds=0)
    path = f"/api/v1/attempts/{attempt['id']}/terminate"
    for body in [{}, {"reason": ""}, {"reason": "  "}, {"reason": 5}]:
        assert (await client.post(path, json=body, headers=ADMIN)).status_code in (400, 422), body
    ok = {"reason": "x"}
    assert (await client.post(path, json=ok, headers=auth(candidate))).status_code == 403
    missing = f"/api/v1/attempts/{uuid.uuid4()}/terminate"
    assert (await client.post(missing, json=ok, headers=ADMIN)).status_code == 404
    clock.advance(70)  # past deadline + network grace: it is expired, not terminated
    late = await client.post(path, json=ok, headers=ADMIN)
    assert late.status_code == 409
    read = (await client.get(f"/api/v1/attempts/{attempt['id']}", headers=ADMIN)).json()
    assert read["status"] == "expired"


async def test_a_negative_extension_takes_time_away(client: Client) -> None:
    attempt, _ = await _started(client, duration_seconds=600)
    path = f"/api/v1/attempts/{attempt['id']}/extensions"
    taken = await client.post(path, json={"seconds": -120, "reason": "late start"}, headers=ADMIN)
    assert taken.status_code == 200, taken.text
    moved = (_at(taken.json()["deadline"]) - _at(attempt["deadline"])).total_seconds()
    assert moved == -120
    events = (await client.get(f"/api/v1/attempts/{attempt['id']}/events", headers=ADMIN)).json()
    change = [e for e in events if e["kind"] == "time_extended"][-1]
    assert (change["data"]["seconds"], change["data"]["applied_seconds"]) == (-120, -120)


async def test_time_taken_away_is_clamped_to_now(client: Client, clock: TravellingClock) -> None:
    attempt, candidate = await _started(client, duration_seconds=600, grace_seconds=0)
    base = f"/api/v1/attempts/{attempt['id']}"
    clock.advance(500)  # 100 s left
    taken = await client.post(
        f"{base}/extensions", json={"seconds": -3600, "reason": "misconduct"}, headers=ADMIN
    )
    assert taken.status_code == 200
    body = taken.json()
    assert body["remaining_seconds"] == 0
    assert _at(body["deadline"]) == _at(body["server_time"])  # never before now
    events = (await client.get(f"{base}/events", headers=ADMIN)).json()
    change = [e for e in events if e["kind"] == "time_extended"][-1]
    assert change["data"]["seconds"] == -3600
    assert 99 <= -change["data"]["applied_seconds"] <= 101
    zero = await client.post(
        f"{base}/extensions", json={"seconds": 0, "reason": "x"}, headers=ADMIN
    )
    assert zero.status_code == 422
    submitted = await client.post(f"{base}/submit", headers=auth(candidate))
    assert submitted.status_code == 410  # past the deadline, which is now


async def test_reopen_gives_new_time_and_keeps_the_earlier_result_in_the_trail(
    client: Client, clock: TravellingClock
) -> None:
    attempt, candidate = await _started(client, duration_seconds=60, grace_seconds=0)
    base = f"/api/v1/attempts/{attempt['id']}"
    await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=auth(candidate))
    clock.advance(120)  # expired by the next read
    assert (await client.get(base, headers=auth(candidate))).json()["status"] == "expired"
    reopened = await client.post(
        f"{base}/reopen", json={"seconds": 300, "reason": "power cut"}, headers=ADMIN
    )
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert body["status"] == "in_progress"
    assert "result" not in body
    assert body["remaining_seconds"] == 300
    assert (_at(body["deadline"]) - _at(body["server_time"])).total_seconds() == 300
    assert body["answers"] == {"q1": "B"}
    saved = await client.put(f"{base}/answers/q3", json={"option": "B"}, headers=auth(candidate))
    assert saved.status_code == 200
    listed = await client.get(
        f"/api/v1/exams/{attempt['exam_id']}/attempts",
        params={"status": "in_progress"},
        headers=ADMIN,
    )
    assert [i["id"] for i in listed.json()["items"]] == [attempt["id"]]
    result = (await client.post(f"{base}/submit", headers=auth(candidate))).json()
    assert (result["status"], result["score"]) == ("submitted", 3)
    kinds = [e["kind"] for e in (await client.get(f"{base}/events", headers=ADMIN)).json()]
    assert kinds[-3:] == ["reopened", "answer_saved", "submitted"]
    assert "expired" in kinds
    events = (await client.get(f"{base}/events", headers=ADMIN)).json()
    reopen_event = next(e for e in events if e["kind"] == "reopened")
    assert reopen_event["data"]["previous_status"] == "expired"
    assert reopen_event["data"]["previous_score"] == 2
    assert reopen_event["data"]["reason"] == "power cut"


async def test_reopen_refusals(client: Client) -> None:
    exam = await create_exam(client, max_attempts=2)
    candidate = f"lc-{uuid.uuid4().hex[:8]}"
    first = (await start(client, exam["id"], candidate)).json()
    path = f"/api/v1/attempts/{first['id']}/reopen"
    ok = {"seconds": 60, "reason": "x"}
    assert (await client.post(path, json=ok, headers=ADMIN)).status_code == 409  # in progress
    for body in [{"seconds": 0, "reason": "x"}, {"seconds": -5, "reason": "x"}, {"seconds": 60}]:
        assert (await client.post(path, json=body, headers=ADMIN)).status_code == 422, body
    assert (await client.post(path, json=ok, headers=auth(candidate))).status_code == 403
    missing = f"/api/v1/attempts/{uuid.uuid4()}/reopen"
    assert (await client.post(missing, json=ok, headers=ADMIN)).status_code == 404
    await client.post(f"/api/v1/attempts/{first['id']}/submit", headers=auth(candidate))
    second = await start(client, exam["id"], candidate)
    assert second.status_code == 201
    busy = await client.post(path, json=ok, headers=ADMIN)
    assert busy.status_code == 409
    assert busy.json()["type"].endswith("attempt-in-progress")
