"""PUT|DELETE /attempts/{id}/flags/{qid}: flags are notes to self, not answers."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


async def _started(client: Client, **exam: Any) -> tuple[dict[str, Any], str]:
    created = await create_exam(client, **exam)
    candidate = f"flagger-{uuid.uuid4().hex[:8]}"
    response = await start(client, created["id"], candidate)
    assert response.status_code == 201, response.text
    return response.json(), candidate


async def test_flags_are_set_cleared_and_carried_by_the_attempt(client: Client) -> None:
    attempt, candidate = await _started(client)
    base = f"/api/v1/attempts/{attempt['id']}"
    assert attempt["flags"] == []
    first = await client.put(f"{base}/flags/q3", headers=auth(candidate))
    assert first.status_code == 200, first.text
    assert first.json() == {"flags": ["q3"]}
    again = await client.put(f"{base}/flags/q3", headers=auth(candidate))
    assert again.json() == {"flags": ["q3"]}  # idempotent
    both = await client.put(f"{base}/flags/q1", headers=auth(candidate))
    assert both.json() == {"flags": ["q3", "q1"]}
    read = (await client.get(base, headers=auth(candidate))).json()
    assert read["flags"] == ["q3", "q1"]
    # Not an answer: no version bump, no answer, nothing in the audit trail.
    assert read["version"] == 0
    assert read["answers"] == {}
    events = (await client.get(f"{base}/events", headers=auth(candidate))).json()
    assert [e["kind"] for e in events] == ["started"]
    cleared = await client.delete(f"{base}/flags/q3", headers=auth(candidate))
    assert cleared.status_code == 200
    assert cleared.json() == {"flags": ["q1"]}
    twice = await client.delete(f"{base}/flags/q3", headers=auth(candidate))
    assert twice.json() == {"flags": ["q1"]}


async def test_a_flag_does_not_conflict_with_an_expected_version(client: Client) -> None:
    attempt, candidate = await _started(client)
    base = f"/api/v1/attempts/{attempt['id']}"
    await client.put(f"{base}/flags/q2", headers=auth(candidate))
    saved = await client.put(
        f"{base}/answers/q2", json={"option": "A", "expected_version": 0}, headers=auth(candidate)
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1


async def test_flag_errors(client: Client, clock: TravellingClock) -> None:
    attempt, candidate = await _started(client)
    base = f"/api/v1/attempts/{attempt['id']}"
    unknown = await client.put(f"{base}/flags/nope", headers=auth(candidate))
    assert unknown.status_code == 404
    assert (await client.put(f"{base}/flags/q1", headers=auth("someone-else"))).status_code == 403
    assert (await client.put(f"{base}/flags/q1", headers=ADMIN)).status_code == 403
    missing = await client.put(f"/api/v1/attempts/{uuid.uuid4()}/flags/q1", headers=auth("x"))
    assert missing.status_code == 404
    await client.post(f"{base}/submit", headers=auth(candidate))
    final = await client.put(f"{base}/flags/q1", headers=auth(candidate))
    assert final.status_code == 409
    assert (await client.delete(f"{base}/flags/q1", headers=auth(candidate))).status_code == 409


async def test_flags_are_refused_once_time_is_up(client: Client, clock: TravellingClock) -> None:
    attempt, candidate = await _started(client)
    base = f"/api/v1/attempts/{attempt['id']}"
    clock.advance(600 + 5 + 3)  # past deadline + grace: expired on the way in
    late = await client.put(f"{base}/flags/q1", headers=auth(candidate))
    assert late.status_code == 409, late.text
    read = (await client.get(base, headers=auth(candidate))).json()
    assert read["status"] == "expired"
    assert read["flags"] == []
