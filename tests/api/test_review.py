"""GET /attempts/{id}/review under each review policy; shuffled options per attempt."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


async def _answered(client: Client, **exam: Any) -> tuple[str, str, dict[str, Any]]:
    """An attempt with q1 right (2 points), q2 wrong, q3 unanswered; not yet submitted."""
    created = await create_exam(client, **exam)
    candidate = f"reviewer-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, created["id"], candidate)).json()
    base = f"/api/v1/attempts/{attempt['id']}"
    for question, option in (("q1", "B"), ("q2", "B")):
        saved = await client.put(
            f"{base}/answers/{question}", json={"option": option}, headers=auth(candidate)
        )
        assert saved.status_code == 200, saved.text
    return base, candidate, created


async def _submit(client: Client, base: str, candidate: str) -> None:
    assert (await client.post(f"{base}/submit", headers=auth(candidate))).status_code == 200


async def test_the_default_policy_is_score(client: Client) -> None:
    base, candidate, exam = await _answered(client)
    assert exam["review"] == "score"
    await _submit(client, base, candidate)
    review = await client.get(f"{base}/review", headers=auth(candidate))
    assert review.status_code == 200, review.text
    assert review.json() == [
        {"id": "q1", "points": 2.0, "max_points": 2.0},
        {"id": "q2", "points": 0.0, "max_points": 1.0},
        {"id": "q3", "points": 0.0, "max_points": 1.0},
    ]


async def test_responses_policy_shows_answers_never_keys(client: Client) -> None:
    base, candidate, _ = await _answered(client, review="responses")
    await _submit(client, base, candidate)
    review = (await client.get(f"{base}/review", headers=auth(candidate))).json()
    assert [(q["id"], q["response"]) for q in review] == [("q1", "B"), ("q2", "B"), ("q3", None)]
    assert all("correct" not in q for q in review)


async def test_full_policy_shows_correct_answers(client: Client) -> None:
    base, candidate, _ = await _answered(client, review="full")
    await _submit(client, base, candidate)
    review = (await client.get(f"{base}/review", headers=auth(candidate))).json()
    assert [q["correct"] for q in review] == ["B", "A", "B"]
    assert review[0] == {"id": "q1", "points": 2.0, "max_points": 2.0, "response": "B",
                         "correct": "B"}  # fmt: skip


async def test_full_policy_waits_for_closes_at(client: Client, clock: TravellingClock) -> None:
    closes = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    base, candidate, _ = await _answered(client, review="full", closes_at=closes)
    await _submit(client, base, candidate)
    before = (await client.get(f"{base}/review", headers=auth(candidate))).json()
    assert all("correct" not in q for q in before)
    assert [q["response"] for q in before] == ["B", "B", None]
    clock.advance(2 * 3600 + 1)
    after = (await client.get(f"{base}/review", headers=auth(candidate))).json()
    assert [q["correct"] for q in after] == ["B", "A", "B"]


async def test_none_policy_is_403_for_the_candidate(client: Client) -> None:
    base, candidate, _ = await _answered(client, review="none")
    await _submit(client, base, candidate)
    refused = await client.get(f"{base}/review", headers=auth(candidate))
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/review-forbidden"
    admin = await client.get(f"{base}/review", headers=ADMIN)
    assert admin.status_code == 200
    assert [q["correct"] for q in admin.json()] == ["B", "A", "B"]


async def test_before_finalisation_owner_409_admin_sees_all(client: Client) -> None:
    base, candidate, _ = await _answered(client, review="full")
    early = await client.get(f"{base}/review", headers=auth(candidate))
    assert early.status_code == 409
    assert early.json()["type"] == "/problems/review-not-open"
    admin = (await client.get(f"{base}/review", headers=ADMIN)).json()
    assert [(q["response"], q["correct"]) for q in admin] == [("B", "B"), ("B", "A"), (None, "B")]
    other = await client.get(f"{base}/review", headers=auth("not-the-owner"))
    assert other.status_code == 403


@pytest.mark.parametrize("policy", ["sometimes", ""])
async def test_an_unknown_policy_is_422(client: Client, policy: str) -> None:
    from tests.api.conftest import exam_body

    response = await client.post("/api/v1/exams", json=exam_body(review=policy), headers=ADMIN)
    assert response.status_code == 422


def _many_options() -> list[dict[str, Any]]:
    keys = "ABCDEFGH"
    return [
        {
            "id": f"q{n}",
            "stem": f"question {n}",
            "options": [{"key": k, "text": f"option {k}"} for k in keys],
            "correct_key": "C",
        }
        for n in range(1, 4)
    ]


async def test_shuffled_options_are_stable_per_attempt(client: Client) -> None:
    exam = await create_exam(client, questions=_many_options(), shuffle_options=True)
    assert exam["shuffle_options"] is True
    orders: list[list[list[str]]] = []
    for _ in range(3):
        candidate = f"shuffled-{uuid.uuid4().hex[:8]}"
        attempt = (await start(client, exam["id"], candidate)).json()
        url = f"/api/v1/attempts/{attempt['id']}/questions"
        first = (await client.get(url, headers=auth(candidate))).json()
        resumed = (await start(client, exam["id"], candidate)).json()
        assert resumed["id"] == attempt["id"]
        again = (await client.get(url, headers=auth(candidate))).json()
        assert first == again  # the same order on every read
        keys = [[o["key"] for o in q["options"]] for q in first]
        assert all(sorted(k) == list("ABCDEFGH") for k in keys)
        assert all("correct_key" not in q for q in first)
        orders.append(keys)
        # Scored by key: the correct key wherever it is shown.
        for question in ("q1", "q2", "q3"):
            await client.put(
                f"/api/v1/attempts/{attempt['id']}/answers/{question}",
                json={"option": "C"},
                headers=auth(candidate),
            )
        result = await client.post(
            f"/api/v1/attempts/{attempt['id']}/submit", headers=auth(candidate)
        )
        assert result.json()["score"] == 3
    # 8! orders per question: three attempts all alike would mean no shuffling.
    assert len({str(order) for order in orders}) > 1
    assert any(order != [list("ABCDEFGH")] * 3 for order in orders)


async def test_options_keep_the_author_order_by_default(client: Client) -> None:
    exam = await create_exam(client, questions=_many_options())
    candidate = f"plain-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], candidate)).json()
    url = f"/api/v1/attempts/{attempt['id']}/questions"
    questions = (await client.get(url, headers=auth(candidate))).json()
    assert [[o["key"] for o in q["options"]] for q in questions] == [list("ABCDEFGH")] * 3
    # Every attempt lists the same: the second candidate gets the very same JSON.
    other = f"plain-{uuid.uuid4().hex[:8]}"
    theirs = (await start(client, exam["id"], other)).json()
    listed = await client.get(f"/api/v1/attempts/{theirs['id']}/questions", headers=auth(other))
    assert listed.headers["content-type"].startswith("application/json")
    assert listed.json() == questions
