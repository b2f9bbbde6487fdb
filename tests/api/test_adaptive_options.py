"""Every adaptive engine option over HTTP: accepted, read back, used, and refused when wrong."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, exam_body, start

Client = AsyncTestClient[Litestar]

ITEMS = [
    {
        "id": f"item-{n:02d}",
        "stem": f"Item {n}",
        "options": [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}],
        "correct_key": "A",
        "content_area": "algebra" if n % 4 else "geometry",
        "irt": {"a": 0.8 + (n % 5) / 5, "b": -2 + n / 10, "c": 0.1, "d": 0.97},
    }
    for n in range(40)
]
# The same bank without upper asymptotes, for exams that keep the 3PL default.
THREE_PL = [item | {"irt": item["irt"] | {"d": 1.0}} for item in ITEMS]
AREA = {item["id"]: item["content_area"] for item in ITEMS}
ALL_OPTIONS = {
    "max_items": 8,
    "min_items": 8,
    "se_target": 0.05,
    "estimator": "mle",
    "model": "4pl",
    "content_targets": {"algebra": 0.5, "geometry": 0.5},
    "exposure": {
        "method": "sympson_hetter",
        "k": 2,
        "r_max": 0.25,
        "parameters": {"item-20": 0.0, "item-21": 0.5},
    },
    "enemies": [["item-18", "item-19", "item-22"], ["item-17", "item-23"]],
}
ENEMIES = [set(group) for group in ALL_OPTIONS["enemies"]]  # type: ignore[union-attr]


def _candidate() -> str:
    return f"cand-{uuid.uuid4().hex[:8]}"


async def _run(client: Client, exam_id: str, candidate: str) -> tuple[list[str], dict[str, Any]]:
    started = await start(client, exam_id, candidate)
    assert started.status_code == 201, started.text
    attempt = started.json()["id"]
    seen: list[str] = []
    while True:
        step = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
        body = step.json()
        if body["done"]:
            return seen, body["result"]
        item = body["item"]["id"]
        seen.append(item)
        option = "A" if len(seen) % 2 else "B"
        answered = await client.post(
            f"/api/v1/attempts/{attempt}/responses",
            json={"item_id": item, "option": option},
            headers=auth(candidate),
        )
        assert answered.status_code == 200, answered.text


async def test_all_options_are_stored_read_back_and_used(client: Client) -> None:
    exam = await create_exam(client, mode="adaptive", questions=ITEMS, adaptive=ALL_OPTIONS)
    assert exam["adaptive"] == ALL_OPTIONS | {"exposure_k": 2}
    assert exam["questions"][0]["irt"]["d"] == 0.97
    read = await client.get(f"/api/v1/exams/{exam['id']}", headers=ADMIN)
    assert read.json()["adaptive"] == exam["adaptive"]
    seen, result = await _run(client, exam["id"], _candidate())
    assert len(seen) == 8
    assert Counter(AREA[item] for item in seen) == {"algebra": 4, "geometry": 4}
    assert "item-20" not in seen  # K = 0: never administered
    assert all(len(group & set(seen)) <= 1 for group in ENEMIES)
    assert result["stop_reason"] == "max_items"
    assert isinstance(result["theta"], float)


async def test_randomesque_exposure_is_exposure_k(client: Client) -> None:
    adaptive = {"max_items": 3, "exposure": {"method": "randomesque", "k": 4}}
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=adaptive)
    assert exam["adaptive"]["exposure_k"] == 4
    assert exam["adaptive"]["exposure"] == {"method": "randomesque", "k": 4}
    assert exam["adaptive"]["estimator"] == "eap"
    old_style = await create_exam(
        client, mode="adaptive", questions=THREE_PL, adaptive={"max_items": 3, "exposure_k": 3}
    )
    assert old_style["adaptive"]["exposure"] == {"method": "randomesque", "k": 3}


async def test_a_result_says_why_the_test_stopped(client: Client) -> None:
    adaptive = {"max_items": 30, "min_items": 2, "se_target": 0.9}
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=adaptive)
    seen, result = await _run(client, exam["id"], _candidate())
    assert result["stop_reason"] == "se_target"
    assert len(seen) < 30
    candidate = _candidate()
    started = await start(client, exam["id"], candidate)
    submitted = await client.post(
        f"/api/v1/attempts/{started.json()['id']}/submit", headers=auth(candidate)
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["stop_reason"] == "submitted"


async def test_wrong_options_are_refused(client: Client) -> None:
    three_pl = {**ALL_OPTIONS, "model": "3pl"}
    wrong: list[dict[str, Any]] = [
        three_pl,  # items carry d < 1
        {**ALL_OPTIONS, "estimator": "map"},
        {**ALL_OPTIONS, "content_targets": {"algebra": 0.5, "history": 0.5}},
        {**ALL_OPTIONS, "content_targets": {"algebra": 0.5, "geometry": 0.4}},
        {**ALL_OPTIONS, "exposure": {"method": "sympson_hetter", "r_max": 0.2}},
        {**ALL_OPTIONS, "exposure": {"method": "sympson_hetter", "parameters": {"x": 2}}},
        {**ALL_OPTIONS, "exposure": {"method": "randomesque", "k": 2, "r_max": 0.2}},
        {**ALL_OPTIONS, "exposure": {"method": "fastest"}},
        {**ALL_OPTIONS, "exposure_k": 3},  # disagrees with exposure.k
        {**ALL_OPTIONS, "enemies": [["item-01"]]},
        {**ALL_OPTIONS, "enemies": [["item-01", "item-99"]]},
    ]
    for adaptive in wrong:
        body = exam_body(mode="adaptive", questions=ITEMS, adaptive=adaptive)
        response = await client.post("/api/v1/exams", json=body, headers=ADMIN)
        assert response.status_code in (400, 422), (adaptive, response.text)
