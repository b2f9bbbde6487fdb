"""Adaptive attempts over HTTP: one item at a time, on real PostgreSQL and Redis."""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrastructure.redis.keys import RedisKeys
from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start
from tests.backend import Backend

Client = AsyncTestClient[Litestar]

KEYS = "ABCD"
ITEMS = [
    {
        "id": f"item-{n:02d}",
        "stem": f"Item {n}",
        "options": [{"key": key, "text": f"choice {key}"} for key in KEYS],
        "correct_key": KEYS[n % 4],
        "points": 1 + n % 2,
        "content_area": "algebra" if n % 2 else "geometry",
        "irt": {"a": 0.8 + (n % 5) / 5, "b": -2 + n / 10, "c": 0.15},
    }
    for n in range(40)
]
CORRECT = {item["id"]: item["correct_key"] for item in ITEMS}
MAX_ITEMS = 8


async def _adaptive(client: Client, candidate: str, **adaptive: Any) -> tuple[str, str]:
    rules = {"max_items": MAX_ITEMS, "min_items": 3, "se_target": 0.2} | adaptive
    exam = await create_exam(
        client, title="Adaptive algebra", mode="adaptive", questions=ITEMS, adaptive=rules
    )
    started = await start(client, exam["id"], candidate)
    assert started.status_code == 201, started.text
    return exam["id"], started.json()["id"]


def _candidate() -> str:
    return f"cand-{uuid.uuid4().hex[:8]}"


def _keep_secrets(body: str) -> None:
    """A candidate never sees a key, an item parameter, or (before the end) theta/se."""
    for secret in ('"correct_key"', '"irt"', '"theta"', '"se"'):
        assert secret not in body, body


async def _next(client: Client, attempt: str, candidate: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    if not body["done"]:
        _keep_secrets(response.text)
    return body


async def _respond(
    client: Client, attempt: str, candidate: str, item_id: str, option: str, **extra: Any
) -> Any:
    return await client.post(
        f"/api/v1/attempts/{attempt}/responses",
        json={"item_id": item_id, "option": option, **extra},
        headers=auth(candidate),
    )


async def test_a_whole_adaptive_attempt_until_done(client: Client) -> None:
    candidate = _candidate()
    _, attempt = await _adaptive(client, candidate)
    seen: list[str] = []
    while True:
        step = await _next(client, attempt, candidate)
        if step["done"]:
            break
        item = step["item"]
        assert step["position"] == len(seen) + 1
        assert [o["key"] for o in item["options"]] == list(KEYS)
        assert set(item) == {"id", "stem", "options"}
        seen.append(item["id"])
        right = CORRECT[item["id"]]
        option = right if len(seen) % 3 else KEYS[(KEYS.index(right) + 1) % 4]  # every third wrong
        response = await _respond(client, attempt, candidate, item["id"], option)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["items_completed"] == len(seen)
        if not body["done"]:
            _keep_secrets(response.text)
            assert set(body) == {"items_completed", "done", "version"}
        assert len(seen) <= MAX_ITEMS
    assert len(set(seen)) == len(seen) == MAX_ITEMS
    result = step["result"]
    assert result["status"] == "submitted"
    assert isinstance(result["theta"], float)
    assert 0 < result["se"] < 1
    assert result["answered"] == MAX_ITEMS
    points = {item["id"]: item["points"] for item in ITEMS}
    assert result["max_score"] == sum(points[item_id] for item_id in seen)
    final = await client.get(f"/api/v1/attempts/{attempt}", headers=auth(candidate))
    assert final.json()["status"] == "submitted"
    assert final.json()["result"] == result
    assert set(final.json()["answers"]) == set(seen)
    events = await client.get(f"/api/v1/attempts/{attempt}/events", headers=auth(candidate))
    kinds = [event["kind"] for event in events.json()]
    assert kinds.count("response_recorded") == MAX_ITEMS
    assert kinds[-1] == "submitted"
    assert '"correct_key"' not in events.text
    assert '"correct"' not in events.text  # right/wrong per item would reveal keys
    audited = await client.get(f"/api/v1/attempts/{attempt}/events", headers=ADMIN)
    recorded = [e for e in audited.json() if e["kind"] == "response_recorded"]
    assert all(isinstance(e["data"]["correct"], bool) for e in recorded)
    again = await _respond(client, attempt, candidate, seen[-1], "A")
    assert again.status_code == 409


async def test_the_next_item_survives_a_redis_flush(client: Client, backend: Backend) -> None:
    candidate = _candidate()
    _, attempt = await _adaptive(client, candidate)
    for _ in range(3):
        item = (await _next(client, attempt, candidate))["item"]
        response = await _respond(client, attempt, candidate, item["id"], CORRECT[item["id"]])
        assert response.status_code == 200, response.text
    before = await _next(client, attempt, candidate)
    connection = await backend.redis_client()
    try:
        cat_key = RedisKeys(backend.key_prefix).adaptive(uuid.UUID(attempt))
        assert await connection.exists(cat_key) == 1
        async for key in connection.scan_iter(match=f"{backend.key_prefix}*", count=1000):
            await connection.delete(key)
        after = await _next(client, attempt, candidate)
        assert after == before
        assert await connection.exists(cat_key) == 1  # rebuilt from PostgreSQL and cached
        stored = await connection.get(cat_key)
        for item in ITEMS:
            assert str(item["id"]).encode() not in stored
    finally:
        await connection.aclose()
    item = after["item"]
    response = await _respond(client, attempt, candidate, item["id"], CORRECT[item["id"]])
    assert response.status_code == 200
    assert response.json()["items_completed"] == 4


async def test_conflicts_and_refusals(client: Client) -> None:
    candidate = _candidate()
    _, attempt = await _adaptive(client, candidate)
    item = (await _next(client, attempt, candidate))["item"]
    other = next(i["id"] for i in ITEMS if i["id"] != item["id"])
    wrong = await _respond(client, attempt, candidate, other, "A")
    assert wrong.status_code == 409
    assert wrong.json()["type"] == "/problems/item-not-administered"
    bad = await _respond(client, attempt, candidate, item["id"], "Z")
    assert bad.status_code == 422
    ok = await _respond(client, attempt, candidate, item["id"], "A", expected_version=0)
    assert ok.status_code == 200
    assert ok.json()["version"] == 1
    following = (await _next(client, attempt, candidate))["item"]
    stale = await _respond(client, attempt, candidate, following["id"], "A", expected_version=0)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 1
    intruder = await _respond(client, attempt, _candidate(), following["id"], "A")
    assert intruder.status_code == 403
    admin = await client.post(
        f"/api/v1/attempts/{attempt}/responses",
        json={"item_id": following["id"], "option": "A"},
        headers=ADMIN,
    )
    assert admin.status_code == 403
    admin_next = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=ADMIN)
    assert admin_next.status_code == 403
    questions = await client.get(f"/api/v1/attempts/{attempt}/questions", headers=auth(candidate))
    assert questions.status_code == 409
    answer = await client.put(
        f"/api/v1/attempts/{attempt}/answers/{following['id']}",
        json={"option": "A"},
        headers=auth(candidate),
    )
    assert answer.status_code == 409


async def test_an_adaptive_attempt_that_runs_out_of_time(
    client: Client, clock: TravellingClock
) -> None:
    candidate = _candidate()
    _, attempt = await _adaptive(client, candidate)
    item = (await _next(client, attempt, candidate))["item"]
    await _respond(client, attempt, candidate, item["id"], CORRECT[item["id"]])
    following = (await _next(client, attempt, candidate))["item"]
    clock.advance(600 + 5 + 3)  # duration + grace + more than the network grace
    late = await _respond(client, attempt, candidate, following["id"], "A")
    assert late.status_code == 410
    result = late.json()["result"]
    assert result["status"] == "expired"
    assert isinstance(result["theta"], float)
    assert isinstance(result["se"], float)
    assert result["answered"] == 1
    gone = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
    assert gone.status_code == 410
    assert gone.json()["result"] == result


async def test_next_item_is_for_adaptive_exams_only(client: Client) -> None:
    candidate = _candidate()
    exam = await create_exam(client)
    attempt = (await start(client, exam["id"], candidate)).json()["id"]
    response = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/wrong-exam-mode"
    posted = await _respond(client, attempt, candidate, "q1", "A")
    assert posted.status_code == 409


async def test_candidates_never_see_keys_or_parameters_of_an_adaptive_exam(
    client: Client,
) -> None:
    candidate = _candidate()
    exam_id, attempt = await _adaptive(client, candidate)
    for path in (f"/api/v1/exams/{exam_id}", "/api/v1/exams", f"/api/v1/attempts/{attempt}"):
        response = await client.get(path, headers=auth(candidate))
        assert response.status_code == 200
        assert '"correct_key"' not in response.text
        assert '"irt"' not in response.text
    admin_view = await client.get(f"/api/v1/exams/{exam_id}", headers=ADMIN)
    assert json.loads(admin_view.text)["questions"][0]["irt"]["c"] == 0.15
