"""GET /attempts/{id}/review with every question type: each type's own marking, exact
points as the result counts them, a scorer's points once given, and with `full` each
type's correct answer, never before closes_at (API.md "Flags and review")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start
from tests.api.test_question_types import QUESTIONS, SECRETS

Client = AsyncTestClient[Litestar]

ANSWERS: dict[str, Any] = {
    "single": "A",  # wrong
    "all": ["C", "A"],  # right: 2
    "partial": ["A", "B", "D"],  # two right, one wrong of three: 1/3 of 0.3
    "pi": 3.15,  # within 0.01 as written
    "capital": "Pariss",  # neither accepted nor the pattern
    "essay": "Because.",
}
CORRECT: dict[str, Any] = {
    "single": "B",
    "all": ["A", "C"],
    "partial": ["A", "B", "C"],
    "pi": {"value": 3.14, "tolerance": 0.01, "relative": False},
    "capital": {
        "accepted": ["Paris"],
        "case_sensitive": False,
        "pattern": "par[iy]s(,? france)?",
    },
    "essay": None,
    "sim": None,
}


async def _submitted(client: Client, **exam: Any) -> tuple[str, str]:
    created = await create_exam(client, **({"questions": QUESTIONS} | exam))
    who = f"reviewer-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, created["id"], who)).json()["id"]
    base = f"/api/v1/attempts/{attempt}"
    for qid, response in ANSWERS.items():
        saved = await client.put(
            f"{base}/answers/{qid}", json={"response": response}, headers=auth(who)
        )
        assert saved.status_code == 200, (qid, saved.text)
    submitted = await client.post(f"{base}/submit", headers=auth(who))
    assert submitted.status_code == 200, submitted.text
    return base, who


async def test_points_follow_each_types_marking_exactly(client: Client) -> None:
    base, who = await _submitted(client, review="responses")
    review = (await client.get(f"{base}/review", headers=auth(who))).json()
    assert [(q["id"], q["points"], q["max_points"]) for q in review] == [
        ("single", 0.0, 1.0),
        ("all", 2.0, 2.0),
        ("partial", 0.1, 0.3),
        ("pi", 0.1, 0.1),
        ("capital", 0.0, 0.2),
        ("essay", None, 5.0),  # answered, awaiting its scorer
        ("sim", 0.0, 4.0),  # unanswered: nothing, and no one waits
    ]
    assert {q["id"]: q["response"] for q in review} == ANSWERS | {"sim": None}
    assert not _reveals(review)
    result = (await client.get(base, headers=auth(who))).json()["result"]
    scored = sum(q["points"] or 0 for q in review)
    assert round(scored, 6) == result["score"] == 2.2


def _reveals(review: list[dict[str, Any]]) -> bool:
    """Whether any entry carries a correct answer or an answer key's field."""
    return any("correct" in q or set(q) & set(SECRETS) for q in review)


async def test_a_scorers_points_show_in_the_review(client: Client) -> None:
    base, who = await _submitted(client)
    posted = await client.post(f"{base}/scores/essay", json={"points": 3.5}, headers=ADMIN)
    assert posted.status_code == 200, posted.text
    review = (await client.get(f"{base}/review", headers=auth(who))).json()
    assert {q["id"]: q["points"] for q in review}["essay"] == 3.5


async def test_full_shows_each_types_correct_answer(client: Client) -> None:
    base, who = await _submitted(client, review="full")
    review = (await client.get(f"{base}/review", headers=auth(who))).json()
    assert {q["id"]: q["correct"] for q in review} == CORRECT


async def test_full_waits_for_closes_at_with_every_type(
    client: Client, clock: TravellingClock
) -> None:
    closes = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    base, who = await _submitted(client, review="full", closes_at=closes)
    before = (await client.get(f"{base}/review", headers=auth(who))).json()
    assert not _reveals(before)
    admin = (await client.get(f"{base}/review", headers=ADMIN)).json()
    assert {q["id"]: q["correct"] for q in admin} == CORRECT  # an admin, at any time
    clock.advance(2 * 3600 + 1)
    after = (await client.get(f"{base}/review", headers=auth(who))).json()
    assert {q["id"]: q["correct"] for q in after} == CORRECT


async def test_the_owner_cannot_review_before_finalisation(client: Client) -> None:
    created = await create_exam(client, questions=QUESTIONS, review="full")
    who = f"reviewer-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, created["id"], who)).json()["id"]
    await client.put(
        f"/api/v1/attempts/{attempt}/answers/all", json={"response": ["A"]}, headers=auth(who)
    )
    early = await client.get(f"/api/v1/attempts/{attempt}/review", headers=auth(who))
    assert early.status_code == 409
    assert "review-not-open" in early.json()["type"]
    assert "correct" not in early.text
