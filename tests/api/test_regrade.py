"""POST /exams/{exam_id}/regrade on the real PostgreSQL and Redis."""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start

Client = AsyncTestClient[Litestar]


async def _submitted(client: Client, exam_id: str, answers: dict[str, str]) -> dict[str, Any]:
    candidate = f"rg-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam_id, candidate)).json()
    base = f"/api/v1/attempts/{attempt['id']}"
    for question_id, option in answers.items():
        saved = await client.put(
            f"{base}/answers/{question_id}", json={"option": option}, headers=auth(candidate)
        )
        assert saved.status_code == 200, saved.text
    submitted = await client.post(f"{base}/submit", headers=auth(candidate))
    assert submitted.status_code == 200, submitted.text
    return dict(attempt)


async def _score(client: Client, attempt_id: str) -> float:
    read = await client.get(f"/api/v1/attempts/{attempt_id}", headers=ADMIN)
    return float(read.json()["result"]["score"])


async def test_a_fixed_key_rescores_every_final_attempt_and_every_later_one(
    client: Client,
) -> None:
    exam = await create_exam(client)
    wrong = await _submitted(client, exam["id"], {"q2": "B"})
    right = await _submitted(client, exam["id"], {"q1": "B", "q2": "A"})
    running_candidate = f"rg-{uuid.uuid4().hex[:8]}"
    running = (await start(client, exam["id"], running_candidate)).json()
    assert (await _score(client, wrong["id"]), await _score(client, right["id"])) == (0, 3)

    regraded = await client.post(
        f"/api/v1/exams/{exam['id']}/regrade",
        json={"question_id": "q2", "correct_key": "B", "reason": "the key was wrong"},
        headers=ADMIN,
    )
    assert regraded.status_code == 200, regraded.text
    assert regraded.json() == {"rescored": 2}
    assert (await _score(client, wrong["id"]), await _score(client, right["id"])) == (1, 2)
    events = (await client.get(f"/api/v1/attempts/{wrong['id']}/events", headers=ADMIN)).json()
    rescored = [e for e in events if e["kind"] == "attempt_rescored"]
    assert len(rescored) == 1
    assert rescored[0]["data"]["reason"] == "the key was wrong"
    assert (rescored[0]["data"]["previous_score"], rescored[0]["data"]["score"]) == (0, 1)
    export = await client.get(
        f"/api/v1/exams/{exam['id']}/results", params={"format": "ndjson"}, headers=ADMIN
    )
    lines = {line["attempt_id"]: line for line in map(json.loads, export.text.splitlines())}
    assert lines[wrong["id"]]["points"]["q2"] == 1  # the column as the result was scored
    assert lines[right["id"]]["points"]["q2"] == 0

    base = f"/api/v1/attempts/{running['id']}"
    await client.put(f"{base}/answers/q2", json={"option": "B"}, headers=auth(running_candidate))
    later = await client.post(f"{base}/submit", headers=auth(running_candidate))
    assert later.json()["score"] == 1  # scored with the fixed key, though it was running
    stored = (await client.get(f"/api/v1/exams/{exam['id']}", headers=ADMIN)).json()
    assert [q["correct_key"] for q in stored["questions"]] == ["B", "A", "B"]  # unchanged


async def test_full_credit_gives_every_answer_of_the_question_its_points(client: Client) -> None:
    exam = await create_exam(client)
    first = await _submitted(client, exam["id"], {"q1": "A"})
    second = await _submitted(client, exam["id"], {"q3": "B"})
    regraded = await client.post(
        f"/api/v1/exams/{exam['id']}/regrade",
        json={"question_id": "q1", "full_credit": True, "reason": "ambiguous stem"},
        headers=ADMIN,
    )
    assert regraded.json() == {"rescored": 2}
    assert (await _score(client, first["id"]), await _score(client, second["id"])) == (2, 1)


async def test_a_multiple_choice_key_is_fixed(client: Client) -> None:
    question = {
        "id": "m", "stem": "Primes?", "type": "multiple", "correct_keys": ["A"],
        "options": [{"key": k, "text": k} for k in "ABC"],
    }  # fmt: skip
    exam = await create_exam(client, questions=[question])
    candidate = f"rg-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], candidate)).json()
    base = f"/api/v1/attempts/{attempt['id']}"
    saved = await client.put(
        f"{base}/answers/m", json={"response": ["A", "B"]}, headers=auth(candidate)
    )
    assert saved.status_code == 200, saved.text
    assert (await client.post(f"{base}/submit", headers=auth(candidate))).json()["score"] == 0
    regraded = await client.post(
        f"/api/v1/exams/{exam['id']}/regrade",
        json={"question_id": "m", "correct_keys": ["A", "B"], "reason": "B is prime too"},
        headers=ADMIN,
    )
    assert regraded.json() == {"rescored": 1}
    assert await _score(client, attempt["id"]) == 1


async def test_refusals(client: Client) -> None:
    exam = await create_exam(client)
    url = f"/api/v1/exams/{exam['id']}/regrade"
    body = {"question_id": "q1", "correct_key": "A", "reason": "why"}
    assert (await client.post(url, json=body, headers=auth("someone"))).status_code == 403
    missing = f"/api/v1/exams/{uuid.uuid4()}/regrade"
    assert (await client.post(missing, json=body, headers=ADMIN)).status_code == 404
    for bad in (
        {**body, "correct_key": "Z"},
        {**body, "correct_keys": ["A"]},
        {"question_id": "q1", "reason": "neither"},
        {**body, "full_credit": True},
        {**body, "reason": ""},
        {**body, "extra": 1},
    ):
        refused = await client.post(url, json=bad, headers=ADMIN)
        assert refused.status_code in (400, 422), (bad, refused.text)
    unknown = await client.post(url, json={**body, "question_id": "q9"}, headers=ADMIN)
    assert unknown.status_code == 404
    assert (await client.post(url, json=body, headers=ADMIN)).json() == {"rescored": 0}
