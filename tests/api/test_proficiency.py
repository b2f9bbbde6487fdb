"""GET /candidates/{id}/proficiency over HTTP: written as each adaptive attempt ends."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start
from tests.api.test_adaptive import CORRECT, ITEMS, _candidate, _next, _respond

Client = AsyncTestClient[Litestar]


async def _adaptive_exam(client: Client, **adaptive: Any) -> str:
    rules = {"max_items": 4, "min_items": 2, "se_target": 0.1} | adaptive
    exam = await create_exam(
        client, title="Proficiency", mode="adaptive", questions=ITEMS, adaptive=rules,
        max_attempts=3,
    )  # fmt: skip
    return str(exam["id"])


async def _answer_all(client: Client, attempt: str, candidate: str, right: bool) -> dict[str, Any]:
    while True:
        step = await _next(client, attempt, candidate)
        if step["done"]:
            return dict(step["result"])
        item = step["item"]["id"]
        option = CORRECT[item] if right else next(k for k in "ABCD" if k != CORRECT[item])
        assert (await _respond(client, attempt, candidate, item, option)).status_code == 200


async def _proficiency(client: Client, candidate: str, headers: dict[str, str]) -> Any:
    response = await client.get(f"/api/v1/candidates/{candidate}/proficiency", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_result_of_each_adaptive_attempt_is_the_latest_proficiency(
    client: Client,
) -> None:
    candidate = _candidate()
    exam = await _adaptive_exam(client)
    assert await _proficiency(client, candidate, auth(candidate)) == []
    first = (await start(client, exam, candidate)).json()["id"]
    result = await _answer_all(client, first, candidate, right=True)
    [row] = await _proficiency(client, candidate, auth(candidate))
    assert (row["exam_id"], row["attempt_id"]) == (exam, first)
    assert (row["theta"], row["se"]) == (result["theta"], result["se"])

    second = (await start(client, exam, candidate)).json()["id"]
    submitted = await client.post(f"/api/v1/attempts/{second}/submit", headers=auth(candidate))
    assert submitted.status_code == 200, submitted.text
    [row] = await _proficiency(client, candidate, ADMIN)
    assert row["attempt_id"] == second
    assert row["theta"] == submitted.json()["theta"]


async def test_terminate_and_expiry_record_it_too(client: Client, clock: TravellingClock) -> None:
    candidate, other = _candidate(), _candidate()
    exam = await _adaptive_exam(client)
    attempt = (await start(client, exam, candidate)).json()["id"]
    ended = await client.post(
        f"/api/v1/attempts/{attempt}/terminate", json={"reason": "left"}, headers=ADMIN
    )
    assert ended.status_code == 200, ended.text
    [row] = await _proficiency(client, candidate, ADMIN)
    assert row["attempt_id"] == attempt

    late = (await start(client, exam, other)).json()["id"]
    clock.advance(3600)
    expired = await client.get(f"/api/v1/attempts/{late}", headers=auth(other))
    assert expired.json()["status"] == "expired"
    [row] = await _proficiency(client, other, auth(other))
    assert (row["attempt_id"], row["theta"]) == (late, expired.json()["result"]["theta"])


async def test_a_candidate_may_not_read_anothers(client: Client) -> None:
    response = await client.get("/api/v1/candidates/someone/proficiency", headers=auth("nosy"))
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    unauthenticated = await client.get("/api/v1/candidates/someone/proficiency")
    assert unauthenticated.status_code == 401


async def test_a_fixed_form_leaves_none(client: Client) -> None:
    candidate = _candidate()
    exam = await create_exam(client)
    attempt = (await start(client, exam["id"], candidate)).json()["id"]
    await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(candidate))
    assert await _proficiency(client, candidate, auth(candidate)) == []


async def test_prior_candidate_starts_the_next_attempt_from_the_last(client: Client) -> None:
    candidate = _candidate()
    exam = await _adaptive_exam(client, prior="candidate")
    shown = await client.get(f"/api/v1/exams/{exam}", headers=ADMIN)
    assert shown.json()["adaptive"]["prior"] == "candidate"
    first = (await start(client, exam, candidate)).json()["id"]
    ended = await _answer_all(client, first, candidate, right=True)
    assert ended["theta"] > 0.5

    second = (await start(client, exam, candidate)).json()["id"]
    submitted = await client.post(f"/api/v1/attempts/{second}/submit", headers=auth(candidate))
    assert submitted.status_code == 200, submitted.text
    # No response: the result is the prior, the first attempt's theta.
    assert abs(submitted.json()["theta"] - ended["theta"]) < 0.02


async def test_an_unknown_prior_is_refused(client: Client) -> None:
    rules = {"max_items": 3, "prior": "yesterday"}
    response = await client.post(
        "/api/v1/exams",
        json={"title": "x", "mode": "adaptive", "duration_seconds": 60, "questions": ITEMS,
              "adaptive": rules},
        headers=ADMIN,
    )  # fmt: skip
    assert response.status_code == 422
