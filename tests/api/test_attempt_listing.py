"""GET /exams/{exam_id}/attempts and GET /me/attempts: pages, filters, cursors, access."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


async def _all_pages(client: Client, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_an_exams_attempts_page_by_cursor_oldest_first_without_answers(
    client: Client, clock: TravellingClock
) -> None:
    exam = await create_exam(client, max_attempts=3)
    candidates = [f"ls-{uuid.uuid4().hex[:8]}" for _ in range(5)]
    started = []
    for candidate in candidates:
        response = await start(client, exam["id"], candidate)
        started.append(response.json())
        clock.advance(1)  # distinct starts; equal ones are ordered by id
    path = f"/api/v1/exams/{exam['id']}/attempts"
    items = await _all_pages(client, path, ADMIN)
    assert [item["id"] for item in items] == [a["id"] for a in started]
    first = items[0]
    assert "answers" not in first
    assert first["status"] == "in_progress"
    assert 0 < first["remaining_seconds"] <= 600
    assert first["candidate_id"] == candidates[0]
    # An exact multiple of the page size ends with a page whose cursor is null.
    four = await client.get(path, params={"limit": 5}, headers=ADMIN)
    assert len(four.json()["items"]) == 5
    assert four.json()["next_cursor"] is None


async def test_remaining_seconds_is_live(client: Client, clock: TravellingClock) -> None:
    exam = await create_exam(client, duration_seconds=600)
    await start(client, exam["id"], f"ls-{uuid.uuid4().hex[:8]}")
    path = f"/api/v1/exams/{exam['id']}/attempts"
    before = (await client.get(path, headers=ADMIN)).json()["items"][0]["remaining_seconds"]
    clock.advance(100)
    after = (await client.get(path, headers=ADMIN)).json()["items"][0]["remaining_seconds"]
    assert 99 <= before - after <= 101


async def test_filters_by_status_and_candidate(client: Client) -> None:
    exam = await create_exam(client)
    done, going = f"ls-{uuid.uuid4().hex[:8]}", f"ls-{uuid.uuid4().hex[:8]}"
    finished = (await start(client, exam["id"], done)).json()
    await start(client, exam["id"], going)
    await client.post(f"/api/v1/attempts/{finished['id']}/submit", headers=auth(done))
    path = f"/api/v1/exams/{exam['id']}/attempts"
    submitted = (await client.get(path, params={"status": "submitted"}, headers=ADMIN)).json()
    assert [i["candidate_id"] for i in submitted["items"]] == [done]
    assert submitted["items"][0]["result"]["status"] == "submitted"
    in_progress = await client.get(path, params={"status": "in_progress"}, headers=ADMIN)
    assert [i["candidate_id"] for i in in_progress.json()["items"]] == [going]
    mine = (await client.get(path, params={"candidate_id": going}, headers=ADMIN)).json()
    assert [i["candidate_id"] for i in mine["items"]] == [going]
    both = {"candidate_id": going, "status": "submitted"}
    assert (await client.get(path, params=both, headers=ADMIN)).json()["items"] == []


async def test_listing_refusals(client: Client) -> None:
    exam = await create_exam(client)
    path = f"/api/v1/exams/{exam['id']}/attempts"
    for params in [
        {"limit": 0},
        {"limit": 501},
        {"status": "finished"},
        {"cursor": "not-a-cursor"},
        {"cursor": "x" * 300},
        {"candidate_id": "bad id"},
    ]:
        assert (await client.get(path, params=params, headers=ADMIN)).status_code == 422, params
    assert (await client.get(path, headers=auth("someone"))).status_code == 403
    unknown = f"/api/v1/exams/{uuid.uuid4()}/attempts"
    assert (await client.get(unknown, headers=ADMIN)).status_code == 404
    assert (await client.get(path)).status_code == 401


async def test_my_attempts_newest_first_across_exams(
    client: Client, clock: TravellingClock
) -> None:
    candidate = f"me-{uuid.uuid4().hex[:8]}"
    first, second = await create_exam(client), await create_exam(client)
    older = (await start(client, first["id"], candidate)).json()
    clock.advance(5)
    newer = (await start(client, second["id"], candidate)).json()
    await start(client, second["id"], f"other-{uuid.uuid4().hex[:8]}")
    items = await _all_pages(client, "/api/v1/me/attempts", auth(candidate))
    assert [i["id"] for i in items] == [newer["id"], older["id"]]
    one = await client.get("/api/v1/me/attempts", params={"limit": 1}, headers=auth(candidate))
    page = one.json()
    assert [i["id"] for i in page["items"]] == [newer["id"]]
    rest = await client.get(
        "/api/v1/me/attempts",
        params={"limit": 1, "cursor": page["next_cursor"]},
        headers=auth(candidate),
    )
    assert [i["id"] for i in rest.json()["items"]] == [older["id"]]
    assert rest.json()["next_cursor"] is None
    assert (await client.get("/api/v1/me/attempts", headers=ADMIN)).status_code == 403
    nobody = await client.get("/api/v1/me/attempts", headers=auth(f"new-{uuid.uuid4().hex}"))
    assert nobody.json()["items"] == []
