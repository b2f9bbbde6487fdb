"""An exam whose section draws questions, end to end: a regrade rescores only the attempts
that drew the question, the review and the results export count what each was given."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start

Client = AsyncTestClient[Litestar]

POOL = [f"p{i}" for i in range(6)]


def _question(qid: str) -> dict[str, Any]:
    return {
        "id": qid,
        "stem": f"{qid}?",
        "options": [{"key": "A", "text": "yes"}, {"key": "B", "text": "no"}],
        "correct_key": "A",
    }


async def _drawn_exam(client: Client) -> dict[str, Any]:
    return await create_exam(
        client,
        questions=[_question(q) for q in (*POOL, "f1")],
        sections=[
            {"id": "drawn", "draw": {"from": POOL, "count": 2}, "shuffle_questions": True},
            {"id": "fixed", "question_ids": ["f1"]},
        ],
        review="responses",
    )


async def _sit(client: Client, exam_id: str) -> dict[str, Any]:
    """An attempt that answers its drawn questions B (wrong) and submits: 0 out of 3."""
    candidate = f"drawn-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam_id, candidate)).json()
    base = f"/api/v1/attempts/{attempt['id']}"
    shown = (await client.get(f"{base}/questions", headers=auth(candidate))).json()
    drawn = [question["id"] for question in shown]
    for qid in drawn:
        saved = await client.put(
            f"{base}/answers/{qid}", json={"option": "B"}, headers=auth(candidate)
        )
        assert saved.status_code == 200, saved.text
    submitted = await client.post(f"{base}/submit", headers=auth(candidate))
    assert submitted.status_code == 200, submitted.text
    result = submitted.json()
    assert (result["score"], result["max_score"]) == (0, 3)
    return {"id": attempt["id"], "candidate": candidate, "base": base, "given": [*drawn, "f1"]}


async def _sittings(client: Client, exam_id: str, question_id: str) -> list[dict[str, Any]]:
    """Attempts until some drew `question_id` and some did not (each draws 2 of 6)."""
    sittings: list[dict[str, Any]] = []
    while len(sittings) < 40:
        sittings.append(await _sit(client, exam_id))
        drew = [s for s in sittings if question_id in s["given"]]
        if len(drew) >= 2 and len(sittings) - len(drew) >= 2:
            return sittings
    raise AssertionError("40 attempts never split on one question")


async def _result(client: Client, attempt_id: str) -> dict[str, Any]:
    read = await client.get(f"/api/v1/attempts/{attempt_id}", headers=ADMIN)
    return dict(read.json()["result"])


async def _rescored_events(client: Client, attempt_id: str) -> list[dict[str, Any]]:
    events = (await client.get(f"/api/v1/attempts/{attempt_id}/events", headers=ADMIN)).json()
    return [event for event in events if event["kind"] == "attempt_rescored"]


async def test_a_regrade_rescores_only_the_attempts_that_drew_the_question(
    client: Client,
) -> None:
    exam = await _drawn_exam(client)
    sittings = await _sittings(client, exam["id"], "p0")
    drew = [s for s in sittings if "p0" in s["given"]]
    regraded = await client.post(
        f"/api/v1/exams/{exam['id']}/regrade",
        json={"question_id": "p0", "correct_key": "B", "reason": "the key was wrong"},
        headers=ADMIN,
    )
    assert regraded.status_code == 200, regraded.text
    assert regraded.json() == {"rescored": len(drew)}
    for sitting in sittings:
        result = await _result(client, sitting["id"])
        events = await _rescored_events(client, sitting["id"])
        if sitting in drew:
            assert (result["score"], result["max_score"]) == (1, 3)
            assert [(e["data"]["previous_score"], e["data"]["score"]) for e in events] == [(0, 1)]
            assert events[0]["data"]["max_score"] == 3
        else:
            assert (result["score"], result["max_score"]) == (0, 3)
            assert events == []


async def test_the_review_shows_the_drawn_questions_in_the_attempts_order(
    client: Client,
) -> None:
    exam = await _drawn_exam(client)
    sitting = await _sit(client, exam["id"])
    for headers in (ADMIN, auth(sitting["candidate"])):
        review = await client.get(f"{sitting['base']}/review", headers=headers)
        assert review.status_code == 200, review.text
        items = review.json()
        assert [item["id"] for item in items] == sitting["given"]
        assert sum(item["max_points"] for item in items) == 3
        assert sum(item["points"] for item in items) == 0
        assert [item["response"] for item in items] == ["B", "B", None]
    # Through a regrade of a drawn question, the review adds up to the rescored result.
    drawn = sitting["given"][0]
    await client.post(
        f"/api/v1/exams/{exam['id']}/regrade",
        json={"question_id": drawn, "full_credit": True, "reason": "ambiguous"},
        headers=ADMIN,
    )
    items = (await client.get(f"{sitting['base']}/review", headers=ADMIN)).json()
    points = {item["id"]: item["points"] for item in items}
    assert points[drawn] == 1
    assert sum(points.values()) == (await _result(client, sitting["id"]))["score"] == 1


async def test_the_export_leaves_questions_not_drawn_blank(client: Client) -> None:
    exam = await _drawn_exam(client)
    sittings = [await _sit(client, exam["id"]) for _ in range(3)]
    url = f"/api/v1/exams/{exam['id']}/results"
    ndjson = await client.get(url, params={"format": "ndjson"}, headers=ADMIN)
    assert ndjson.status_code == 200, ndjson.text
    rows = {row["attempt_id"]: row for row in map(json.loads, ndjson.text.splitlines())}
    response = await client.get(url, headers=ADMIN)
    csv_rows = {row["attempt_id"]: row for row in csv.DictReader(io.StringIO(response.text))}
    assert set(rows) == set(csv_rows) == {s["id"] for s in sittings}
    for sitting in sittings:
        points = rows[sitting["id"]]["points"]
        columns = csv_rows[sitting["id"]]
        for qid in (*POOL, "f1"):
            if qid in sitting["given"]:
                # Given: answered wrong (the drawn ones) or left unanswered (f1).
                assert points[qid] == 0.0
                assert float(columns[f"points:{qid}"]) == 0.0
            else:
                assert points[qid] is None
                assert columns[f"points:{qid}"] == ""
        assert float(columns["max_score"]) == 3
