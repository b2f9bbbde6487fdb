"""An accommodation's own window (opens_at, closes_at) and extra attempts, used by start."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


def _iso(when: datetime) -> str:
    return when.isoformat()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_a_candidates_own_window_lets_them_start_after_the_exam_closed(
    client: Client, clock: TravellingClock
) -> None:
    now = datetime.now(UTC)
    exam = await create_exam(client, closes_at=_iso(now + timedelta(minutes=10)))
    late, other = f"ov-{uuid.uuid4().hex[:8]}", f"ov-{uuid.uuid4().hex[:8]}"
    own_close = now + timedelta(hours=2)
    granted = await client.put(
        f"/api/v1/exams/{exam['id']}/accommodations/{late}",
        json={"reason": "hospital", "closes_at": _iso(own_close)},
        headers=ADMIN,
    )
    assert granted.status_code == 200, granted.text
    assert _at(granted.json()["closes_at"]) == own_close
    clock.advance(20 * 60)  # the exam closed ten minutes ago
    assert (await start(client, exam["id"], other)).status_code == 403
    started = await start(client, exam["id"], late)
    assert started.status_code == 201
    # Their window, not the exam's, caps the deadline; the full 600 s fit in it.
    attempt = started.json()
    assert (_at(attempt["deadline"]) - _at(attempt["started_at"])).total_seconds() == 600
    listed = await client.get(f"/api/v1/exams/{exam['id']}/accommodations", headers=ADMIN)
    assert listed.json()[0]["closes_at"] is not None


async def test_a_later_own_opening_keeps_the_candidate_out_until_then(
    client: Client, clock: TravellingClock
) -> None:
    exam = await create_exam(client)
    candidate = f"ov-{uuid.uuid4().hex[:8]}"
    opens = datetime.now(UTC) + timedelta(hours=1)
    await client.put(
        f"/api/v1/exams/{exam['id']}/accommodations/{candidate}",
        json={"reason": "time zone", "opens_at": _iso(opens)},
        headers=ADMIN,
    )
    assert (await start(client, exam["id"], candidate)).status_code == 403
    clock.advance(3601)
    assert (await start(client, exam["id"], candidate)).status_code == 201


async def test_extra_attempts_add_to_the_exams(client: Client) -> None:
    exam = await create_exam(client, max_attempts=1)
    candidate = f"ov-{uuid.uuid4().hex[:8]}"
    await client.put(
        f"/api/v1/exams/{exam['id']}/accommodations/{candidate}",
        json={"reason": "retake granted", "extra_attempts": 1},
        headers=ADMIN,
    )
    for expected in (201, 201, 409):
        started = await start(client, exam["id"], candidate)
        assert started.status_code == expected
        if expected == 201:
            await client.post(
                f"/api/v1/attempts/{started.json()['id']}/submit", headers=auth(candidate)
            )


async def test_override_refusals(client: Client) -> None:
    exam = await create_exam(client)
    path = f"/api/v1/exams/{exam['id']}/accommodations/someone"
    now = datetime.now(UTC)
    for body in [
        {"reason": "x", "extra_attempts": -1},
        {"reason": "x", "extra_attempts": 101},
        {"reason": "x", "opens_at": _iso(now), "closes_at": _iso(now)},
        {"reason": "x", "closes_at": "2030-01-01T00:00:00"},  # no time zone
    ]:
        assert (await client.put(path, json=body, headers=ADMIN)).status_code == 422, body
    plain = await client.put(path, json={"reason": "x"}, headers=ADMIN)
    assert set(plain.json()) == {"candidate_id", "time_multiplier", "extra_seconds", "reason"}
