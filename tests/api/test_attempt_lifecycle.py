from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _candidate() -> str:
    return f"cand-{uuid.uuid4().hex[:8]}"


async def _started(client: Client, **exam: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    created = await create_exam(client, **exam)
    candidate = _candidate()
    response = await start(client, created["id"], candidate)
    assert response.status_code == 201, response.text
    return created, response.json(), candidate


async def test_start_then_resume_returns_the_same_attempt(client: Client) -> None:
    exam, attempt, candidate = await _started(client)
    assert attempt["status"] == "in_progress"
    assert attempt["version"] == 0
    assert attempt["answers"] == {}
    assert 599 <= attempt["remaining_seconds"] <= 600
    assert {"deadline", "server_time", "started_at"} <= attempt.keys()
    again = await start(client, exam["id"], candidate)
    assert again.status_code == 200
    assert again.json()["id"] == attempt["id"]
    assert again.json()["deadline"] == attempt["deadline"]


async def test_start_errors(client: Client) -> None:
    assert (await start(client, str(uuid.uuid4()), _candidate())).status_code == 404
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    not_yet = await create_exam(client, opens_at=later)
    assert (await start(client, not_yet["id"], _candidate())).status_code == 403
    admin_start = await client.post(f"/api/v1/exams/{not_yet['id']}/attempts", headers=ADMIN)
    assert admin_start.status_code == 403


async def test_max_attempts_is_409(client: Client) -> None:
    exam, attempt, candidate = await _started(client, max_attempts=1)
    submitted = await client.post(
        f"/api/v1/attempts/{attempt['id']}/submit", headers=auth(candidate)
    )
    assert submitted.status_code == 200
    response = await start(client, exam["id"], candidate)
    assert response.status_code == 409
    assert response.json()["max_attempts"] == 1


async def test_owner_and_admin_read_others_are_forbidden(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    path = f"/api/v1/attempts/{attempt['id']}"
    for suffix in ["", "/remaining", "/questions", "/events"]:
        assert (await client.get(path + suffix, headers=auth(candidate))).status_code == 200, suffix
        assert (await client.get(path + suffix, headers=ADMIN)).status_code == 200, suffix
        assert (await client.get(path + suffix, headers=auth("mallory"))).status_code == 403, suffix
    assert (await client.get(f"/api/v1/attempts/{uuid.uuid4()}", headers=ADMIN)).status_code == 404


async def test_remaining_time(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    response = await client.get(
        f"/api/v1/attempts/{attempt['id']}/remaining", headers=auth(candidate)
    )
    body = response.json()
    assert body["status"] == "in_progress"
    assert 0 < body["remaining_seconds"] <= 600
    assert body["deadline"] == attempt["deadline"]
    assert "server_time" in body


async def test_questions_never_carry_a_correct_key(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    response = await client.get(
        f"/api/v1/attempts/{attempt['id']}/questions", headers=auth(candidate)
    )
    assert response.status_code == 200
    assert [q["id"] for q in response.json()] == ["q1", "q2", "q3"]
    assert "correct_key" not in response.text
    assert set(response.json()[0]) == {"id", "stem", "options"}


async def test_save_change_clear_and_submit(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    saved = await client.put(f"{base}/answers/q1", json={"option": "A"}, headers=headers)
    assert saved.status_code == 200
    assert saved.json()["version"] == 1
    assert {"saved_at", "remaining_seconds"} <= saved.json().keys()
    changed = await client.put(
        f"{base}/answers/q1", json={"option": "B", "expected_version": 1}, headers=headers
    )
    assert changed.json()["version"] == 2
    await client.put(f"{base}/answers/q2", json={"option": "A"}, headers=headers)
    await client.put(f"{base}/answers/q3", json={"option": "A"}, headers=headers)
    cleared = await client.delete(f"{base}/answers/q3", headers=headers)
    assert cleared.status_code == 200
    assert cleared.json()["version"] == 5
    read = (await client.get(base, headers=headers)).json()
    assert read["answers"] == {"q1": "B", "q2": "A"}
    assert read["version"] == 5

    result = await client.post(f"{base}/submit", headers=headers)
    assert result.status_code == 200
    body = result.json()
    assert body["status"] == "submitted"
    assert (body["score"], body["max_score"], body["answered"], body["correct"]) == (3, 4, 2, 2)
    assert "submitted_at" in body
    assert "expired_at" not in body
    repeat = await client.post(f"{base}/submit", headers=headers)
    assert repeat.status_code == 200
    assert repeat.json() == body
    after = await client.put(f"{base}/answers/q3", json={"option": "B"}, headers=headers)
    assert after.status_code == 409
    final = (await client.get(base, headers=headers)).json()
    assert final["status"] == "submitted"
    assert final["result"] == body


async def test_answer_errors(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    assert (
        await client.put(f"{base}/answers/q9", json={"option": "A"}, headers=headers)
    ).status_code == 404
    assert (
        await client.put(f"{base}/answers/q1", json={"option": "Z"}, headers=headers)
    ).status_code == 422
    assert (
        await client.put(f"{base}/answers/q1", json={"option": 3}, headers=headers)
    ).status_code == 422
    assert (await client.put(f"{base}/answers/q1", json={}, headers=headers)).status_code == 422
    other = await client.put(f"{base}/answers/q1", json={"option": "A"}, headers=auth("mallory"))
    assert other.status_code == 403
    admin = await client.put(f"{base}/answers/q1", json={"option": "A"}, headers=ADMIN)
    assert admin.status_code == 403
    missing = await client.put(
        f"/api/v1/attempts/{uuid.uuid4()}/answers/q1", json={"option": "A"}, headers=headers
    )
    assert missing.status_code == 404
    untyped_delete = await client.request(
        "DELETE", f"{base}/answers/q1", content=b"{oops", headers=headers
    )
    assert untyped_delete.status_code == 415  # a body must say it is JSON
    json_headers = {**headers, "content-type": "application/json"}
    bad_delete = await client.request(
        "DELETE", f"{base}/answers/q1", content=b"{oops", headers=json_headers
    )
    assert bad_delete.status_code == 400  # malformed JSON
    huge = 2**40  # beyond the stored integer: a clear 422, never a 500
    assert (
        await client.put(
            f"{base}/answers/q1", json={"option": "A", "expected_version": huge}, headers=headers
        )
    ).status_code == 422
    assert (
        await client.delete(f"{base}/answers/q1?expected_version={huge}", headers=headers)
    ).status_code == 422
    assert (
        await client.delete(f"{base}/answers/q1?expected_version=-1", headers=headers)
    ).status_code == 422
    # nothing above was written
    assert (await client.get(base, headers=headers)).json()["version"] == 0


async def test_stale_expected_version_is_409_with_current_version(client: Client) -> None:
    _, attempt, candidate = await _started(client)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    await client.put(
        f"{base}/answers/q1", json={"option": "A", "expected_version": 0}, headers=headers
    )
    stale = await client.put(
        f"{base}/answers/q2", json={"option": "A", "expected_version": 0}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 1
    stale_clear = await client.request(
        "DELETE", f"{base}/answers/q1", json={"expected_version": 0}, headers=headers
    )
    assert stale_clear.status_code == 409
    assert stale_clear.json()["current_version"] == 1


async def test_twenty_concurrent_saves_with_one_expected_version(client: Client) -> None:
    import asyncio

    _, attempt, candidate = await _started(client)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    responses = await asyncio.gather(
        *(
            client.put(
                f"{base}/answers/q{1 + i % 3}",
                json={"option": "A", "expected_version": 0},
                headers=headers,
            )
            for i in range(20)
        )
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 19
    events = (await client.get(f"{base}/events", headers=headers)).json()
    assert [e["kind"] for e in events].count("answer_saved") == 1
    assert (await client.get(base, headers=headers)).json()["version"] == 1


async def test_late_answers_within_network_grace_then_410(
    client: Client, clock: TravellingClock
) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=60, grace_seconds=0)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    clock.advance(60.5)  # past the deadline, inside the 2 s network grace
    late = await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=headers)
    assert late.status_code == 200
    assert late.json()["late"] is True
    clock.advance(2)  # past deadline + network grace
    too_late = await client.put(f"{base}/answers/q2", json={"option": "A"}, headers=headers)
    assert too_late.status_code == 410
    assert too_late.json()["result"]["status"] == "expired"
    events = (await client.get(f"{base}/events", headers=headers)).json()
    saved = [e for e in events if e["kind"] == "answer_saved"]
    assert saved[0]["data"]["late"] is True


async def test_submit_after_deadline_and_grace_is_410_with_the_final_result(
    client: Client, clock: TravellingClock
) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=60, grace_seconds=5)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=headers)
    clock.advance(66)
    response = await client.post(f"{base}/submit", headers=headers)
    assert response.status_code == 410
    result = response.json()["result"]
    assert result["status"] == "expired"
    assert _instant(result["expired_at"]) == _instant(attempt["deadline"])
    assert result["score"] == 2
    assert result["time_taken_seconds"] == 60
    again = await client.post(f"{base}/submit", headers=headers)
    assert again.status_code == 410
    assert again.json()["result"] == result


async def test_submit_within_grace_is_accepted(client: Client, clock: TravellingClock) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=60, grace_seconds=5)
    clock.advance(63)
    response = await client.post(
        f"/api/v1/attempts/{attempt['id']}/submit", headers=auth(candidate)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


async def test_reading_an_overdue_attempt_expires_it(
    client: Client, clock: TravellingClock
) -> None:
    _, attempt, candidate = await _started(client, duration_seconds=30)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    await client.put(f"{base}/answers/q2", json={"option": "A"}, headers=headers)
    clock.advance(40)
    remaining = (await client.get(f"{base}/remaining", headers=headers)).json()
    assert remaining["status"] == "expired"
    assert remaining["remaining_seconds"] == 0
    read = (await client.get(base, headers=headers)).json()
    assert read["result"]["score"] == 1
    assert read["result"]["status"] == "expired"
    kinds = [e["kind"] for e in (await client.get(f"{base}/events", headers=headers)).json()]
    assert kinds == ["started", "answer_saved", "expired"]


async def test_audit_trail_oldest_first(client: Client) -> None:
    exam, attempt, candidate = await _started(client)
    base, headers = f"/api/v1/attempts/{attempt['id']}", auth(candidate)
    await client.put(f"{base}/answers/q1", json={"option": "A"}, headers=headers)
    await client.delete(f"{base}/answers/q1", headers=headers)
    await start(client, exam["id"], candidate)
    await client.post(f"{base}/submit", headers=headers)
    events = (await client.get(f"{base}/events", headers=ADMIN)).json()
    assert [e["kind"] for e in events] == [
        "started",
        "answer_saved",
        "answer_cleared",
        "resumed",
        "submitted",
    ]
    assert [e["version"] for e in events] == [0, 1, 2, 2, 3]
