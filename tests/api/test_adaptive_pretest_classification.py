"""Pretest items and classification tests over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from domain.adaptive.exam_engine import attempt_seed, exam_seed
from domain.adaptive.pretest import PretestPlan
from tests.api.conftest import ADMIN, auth, create_exam, exam_body, start
from tests.api.test_adaptive_options import THREE_PL

Client = AsyncTestClient[Litestar]

PRETEST_IDS = [f"item-{n:02d}" for n in range(30, 40)]
PRETEST = {
    "max_items": 6,
    "min_items": 4,
    "se_target": 0.01,
    "pretest": {"item_ids": PRETEST_IDS, "count": 3},
}


def _candidate() -> str:
    return f"cand-{uuid.uuid4().hex[:8]}"


async def _run(
    client: Client, exam_id: str, candidate: str, answer: Any
) -> tuple[str, list[str], dict[str, Any]]:
    started = await start(client, exam_id, candidate)
    assert started.status_code == 201, started.text
    attempt = started.json()["id"]
    seen: list[str] = []
    while True:
        step = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
        body = step.json()
        if body["done"]:
            return attempt, seen, body["result"]
        item = body["item"]["id"]
        seen.append(item)
        if len(seen) == 2:  # leave and come back: the attempt resumes where it was
            resumed = await start(client, exam_id, candidate)
            assert resumed.status_code == 200
            again = await client.get(
                f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate)
            )
            assert again.json()["item"]["id"] == item
        answered = await client.post(
            f"/api/v1/attempts/{attempt}/responses",
            json={"item_id": item, "option": answer(item, len(seen))},
            headers=auth(candidate),
        )
        assert answered.status_code == 200, answered.text


async def test_pretest_items_come_at_seeded_positions_unscored_and_stored(client: Client) -> None:
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=PRETEST)
    assert exam["adaptive"]["pretest"] == PRETEST["pretest"]
    # Every pretest answer right, every operational one wrong: a scored pretest item
    # would show in the score.
    attempt, seen, result = await _run(
        client, exam["id"], _candidate(), lambda item, _: "A" if item in PRETEST_IDS else "B"
    )

    given = [item for item in seen if item in PRETEST_IDS]
    assert len(given) == 3
    assert len(seen) == 6 + 3
    assert (result["score"], result["max_score"], result["answered"]) == (0, 6, 6)
    plan = PretestPlan(items=tuple(range(30, 40)), count=3)
    slots = plan.slots(
        exam_seed=exam_seed(uuid.UUID(exam["id"])),
        attempt_seed=attempt_seed(uuid.UUID(attempt)),
        min_items=4,
    )
    assert {position: seen[position] for position in slots} == {
        position: f"item-{index:02d}" for position, index in slots.items()
    }
    stored = (await client.get(f"/api/v1/attempts/{attempt}", headers=ADMIN)).json()
    assert set(given) <= set(stored["answers"])


async def test_pretest_answers_do_not_move_theta(client: Client) -> None:
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=PRETEST)
    # Operational answers all wrong in both attempts, pretest answers right in one and
    # wrong in the other. Selection here is pure maximum information, so the operational
    # items, theta and se are the same only if pretest answers play no part.
    _, seen, result = await _run(
        client, exam["id"], _candidate(), lambda item, _: "A" if item in PRETEST_IDS else "B"
    )
    _, seen_other, other = await _run(client, exam["id"], _candidate(), lambda *_: "B")

    assert [i for i in seen if i not in PRETEST_IDS] == [
        i for i in seen_other if i not in PRETEST_IDS
    ]
    assert result["se"] == other["se"]
    assert result["theta"] == other["theta"]


async def test_a_classification_test_says_pass_fail_or_undecided(client: Client) -> None:
    adaptive = {
        "max_items": 20,
        "min_items": 3,
        "classification": {"cut": 0.0, "indifference": 0.5, "alpha": 0.05, "beta": 0.05},
    }
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=adaptive)
    assert exam["adaptive"]["classification"] == adaptive["classification"]

    _, passed_items, passed = await _run(client, exam["id"], _candidate(), lambda *_: "A")
    _, _, failed = await _run(client, exam["id"], _candidate(), lambda *_: "B")
    short = await create_exam(
        client, mode="adaptive", questions=THREE_PL, adaptive={**adaptive, "max_items": 3}
    )
    _, _, undecided = await _run(
        client, short["id"], _candidate(), lambda _, n: "A" if n % 2 else "B"
    )

    assert (passed["classification"], passed["stop_reason"]) == ("pass", "classification")
    assert len(passed_items) < 20
    assert (failed["classification"], failed["stop_reason"]) == ("fail", "classification")
    assert (undecided["classification"], undecided["stop_reason"]) == ("undecided", "max_items")


async def test_wrong_pretest_and_classification_options_are_refused(client: Client) -> None:
    wrong: list[dict[str, Any]] = [
        {"max_items": 5, "pretest": {"item_ids": ["item-01", "item-99"], "count": 1}},
        {"max_items": 5, "pretest": {"item_ids": ["item-01"], "count": 2}},
        {"max_items": 5, "pretest": {"item_ids": [], "count": 0}},
        {"max_items": 35, "pretest": {"item_ids": PRETEST_IDS, "count": 1}},
        {"max_items": 5, "classification": {"cut": 0, "indifference": 0}},
        {"max_items": 5, "classification": {"cut": 0, "indifference": 0.3, "alpha": 0.7}},
        {"max_items": 5, "classification": {"cut": 0}},
    ]
    for adaptive in wrong:
        body = exam_body(mode="adaptive", questions=THREE_PL, adaptive=adaptive)
        response = await client.post("/api/v1/exams", json=body, headers=ADMIN)
        assert response.status_code in (400, 422), (adaptive, response.text)
