"""API.md, "Questions of every common type": every row of the table, the 422s, and the
essay scoring flow, through the app on PostgreSQL and Redis."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start

Client = AsyncTestClient[Litestar]
OPTIONS = [{"key": k, "text": f"option {k}"} for k in "ABCD"]
SECRETS = ("correct_key", "correct_keys", "numeric", "accepted", "pattern")

QUESTIONS: list[dict[str, Any]] = [
    {"id": "single", "stem": "One", "options": OPTIONS, "correct_key": "B", "points": 1},
    {
        "id": "all",
        "type": "multiple",
        "stem": "All of them",
        "options": OPTIONS,
        "correct_keys": ["A", "C"],
        "points": 2,
    },
    {
        "id": "partial",
        "type": "multiple",
        "stem": "Some credit",
        "options": OPTIONS,
        "correct_keys": ["A", "B", "C"],
        "scoring": "partial",
        "points": 0.3,
    },
    {
        "id": "pi",
        "type": "numeric",
        "stem": "Pi to two places",
        "numeric": {"value": 3.14, "tolerance": 0.01},
        "points": 0.1,
    },
    {
        "id": "capital",
        "type": "text",
        "stem": "Capital of France",
        "accepted": ["Paris"],
        "pattern": "par[iy]s(,? france)?",
        "max_length": 40,
        "points": 0.2,
    },
    {"id": "essay", "type": "essay", "stem": "Discuss", "max_length": 50, "points": 5},
    {"id": "sim", "type": "external", "stem": "Simulation", "points": 4},
]


def _keys(value: Any) -> set[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


async def _attempt(client: Client, **exam: Any) -> tuple[dict[str, Any], str, str]:
    created = await create_exam(client, **({"questions": QUESTIONS} | exam))
    candidate = f"cand-{uuid.uuid4().hex[:8]}"
    response = await start(client, created["id"], candidate)
    assert response.status_code == 201, response.text
    return created, response.json()["id"], candidate


async def _put(client: Client, attempt: str, qid: str, who: str, body: Any) -> Any:
    return await client.put(
        f"/api/v1/attempts/{attempt}/answers/{qid}", json=body, headers=auth(who)
    )


async def test_every_type_is_saved_typed_and_scored(client: Client) -> None:
    _, attempt, who = await _attempt(client)
    answers: dict[str, Any] = {
        "single": "B",
        "all": ["C", "A"],
        "partial": ["A", "B", "D"],  # two right, one wrong of three: 1/3 of 0.3
        "pi": 3.15,  # within 0.01 as written, though not as binary floats
        "capital": "  PARIS,   France ",
        "essay": "Because.",
        "sim": {"steps": [1, 2, 3], "done": True},
    }
    for qid, response in answers.items():
        saved = await _put(client, attempt, qid, who, {"response": response})
        assert saved.status_code == 200, (qid, saved.text)
    read = (await client.get(f"/api/v1/attempts/{attempt}", headers=auth(who))).json()
    assert read["answers"] == answers  # lists stay lists, numbers numbers

    result = (await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(who))).json()
    assert result["score"] == 3.4  # exact: the floats' sum is 3.4000000000000004
    assert result["max_score"] == 12.6
    assert result["pending_points"] == 9
    assert result["scored"] is False
    assert result["correct"] == 4


async def test_single_choice_keeps_option_and_takes_response(client: Client) -> None:
    _, attempt, who = await _attempt(client)
    assert (await _put(client, attempt, "single", who, {"option": "A"})).status_code == 200
    assert (await _put(client, attempt, "single", who, {"response": "B"})).status_code == 200
    both = await _put(client, attempt, "single", who, {"option": "A", "response": "B"})
    assert both.status_code == 422
    events = (await client.get(f"/api/v1/attempts/{attempt}/events", headers=auth(who))).json()
    assert events[-1]["data"] == {"question_id": "single", "option": "B"}


async def test_malformed_responses_are_422_naming_question_and_field(client: Client) -> None:
    _, attempt, who = await _attempt(client)
    refused = [
        ("single", "Z", "response"),
        ("all", "A", "response"),
        ("all", ["A", 3], "response[1]"),
        ("all", ["A", "A"], "response"),
        ("all", ["A", "E"], "response[1]"),
        ("pi", "3.14", "response"),
        ("pi", True, "response"),
        ("capital", ["Paris"], "response"),
        ("capital", "x" * 41, "response"),
        ("essay", "x" * 51, "response"),
        ("essay", 7, "response"),
    ]
    for qid, response, field in refused:
        answer = await _put(client, attempt, qid, who, {"response": response})
        assert answer.status_code == 422, (qid, response, answer.text)
        problem = answer.json()
        assert problem["question_id"] == qid
        assert problem["field"] == field
        assert qid in problem["detail"]
    # JSON allows 1e400, which no float holds: refused as the body is decoded.
    infinite = await client.put(
        f"/api/v1/attempts/{attempt}/answers/pi",
        content=b'{"response": 1e400}',
        headers=auth(who) | {"content-type": "application/json"},
    )
    assert infinite.status_code == 422
    assert "$.response" in infinite.json()["detail"]
    read = (await client.get(f"/api/v1/attempts/{attempt}", headers=auth(who))).json()
    assert (read["answers"], read["version"]) == ({}, 0)  # nothing changed


async def test_size_caps_and_null(client: Client) -> None:
    _, attempt, who = await _attempt(client)
    big = await _put(client, attempt, "sim", who, {"response": "x" * (64 * 1024)})
    assert big.status_code == 422
    assert "bytes" in big.text
    assert (await _put(client, attempt, "sim", who, {"response": None})).status_code == 422
    assert (await _put(client, attempt, "sim", who, {"response": "a\u0000"})).status_code == 422
    assert (await _put(client, attempt, "sim", who, {})).status_code == 422


async def test_candidates_never_see_the_answers(client: Client) -> None:
    created, attempt, who = await _attempt(client)
    admin_copy = (await client.get(f"/api/v1/exams/{created['id']}", headers=ADMIN)).json()
    by_id = {q["id"]: q for q in admin_copy["questions"]}
    assert by_id["all"]["correct_keys"] == ["A", "C"]
    assert by_id["pi"]["numeric"] == {"value": 3.14, "tolerance": 0.01, "relative": False}
    assert by_id["capital"]["pattern"] == "par[iy]s(,? france)?"
    for qid, response in (("all", ["A"]), ("pi", 3.0), ("capital", "Lyon")):
        assert (await _put(client, attempt, qid, who, {"response": response})).status_code == 200
    await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(who))
    seen = [
        await client.get(f"/api/v1/attempts/{attempt}/questions", headers=auth(who)),
        await client.get(f"/api/v1/attempts/{attempt}", headers=auth(who)),
        await client.get(f"/api/v1/attempts/{attempt}/events", headers=auth(who)),
        await client.get(f"/api/v1/exams/{created['id']}", headers=auth(who)),
    ]
    for response in seen:
        text = response.text
        assert not _keys(response.json()) & set(SECRETS), text
        assert "3.14" not in text
        assert "par[iy]s" not in text
    questions = {q["id"]: q for q in seen[0].json()}
    assert questions["essay"] == {
        "id": "essay",
        "stem": "Discuss",
        "options": [],
        "type": "essay",
        "max_length": 50,
    }


async def test_invalid_definitions_are_422(client: Client) -> None:
    bad: list[dict[str, Any]] = [
        {"type": "text", "stem": "s", "pattern": "(a"},  # not a regex
        {"type": "text", "stem": "s", "pattern": "(a+)+$"},  # nested quantifiers
        {"type": "text", "stem": "s", "pattern": "(a|aa)*b"},
        {"type": "text", "stem": "s", "pattern": "(x)\\1"},  # a backreference
        {"type": "text", "stem": "s"},
        {"type": "numeric", "stem": "s", "numeric": {"value": 1, "tolerance": -1}},
        {"type": "numeric", "stem": "s"},
        {"type": "multiple", "stem": "s", "options": OPTIONS, "correct_keys": ["E"]},
        {"type": "multiple", "stem": "s", "options": OPTIONS, "correct_keys": []},
        {"type": "single", "stem": "s", "options": OPTIONS, "correct_keys": ["A"]},
        {"type": "essay", "stem": "s", "options": OPTIONS},
        {"type": "oral", "stem": "s"},
    ]
    for question in bad:
        response = await client.post(
            "/api/v1/exams",
            json={"title": "t", "duration_seconds": 60, "questions": [question]},
            headers=ADMIN,
        )
        assert response.status_code == 422, (question, response.text)


async def test_adaptive_exams_take_dichotomous_items_only(client: Client) -> None:
    irt = {"a": 1.0, "b": 0.0}
    items: list[dict[str, Any]] = [
        {"stem": "s", "options": OPTIONS, "correct_key": "A", "irt": irt},
        {"stem": "m", "type": "multiple", "options": OPTIONS, "correct_keys": ["A"], "irt": irt},
    ]
    body = {"title": "t", "duration_seconds": 60, "mode": "adaptive", "adaptive": {"max_items": 2}}
    fine = await client.post("/api/v1/exams", json=body | {"questions": items}, headers=ADMIN)
    assert fine.status_code == 201, fine.text
    essay = {"stem": "e", "type": "essay", "irt": irt}
    refused = await client.post(
        "/api/v1/exams", json=body | {"questions": [*items, essay]}, headers=ADMIN
    )
    assert refused.status_code == 422
    assert "adaptive" in refused.json()["detail"]


async def test_essay_scoring_flow(client: Client) -> None:
    _, attempt, who = await _attempt(client)
    await _put(client, attempt, "essay", who, {"response": "My essay."})
    await _put(client, attempt, "sim", who, {"response": [1, 2]})
    url = f"/api/v1/attempts/{attempt}/scores"
    early = await client.post(f"{url}/essay", json={"points": 1}, headers=ADMIN)
    assert (early.status_code, early.json()["type"], early.json()["title"]) == (
        409,
        "/problems/attempt-not-final",
        "Attempt not final",
    )
    await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(who))

    assert (
        await client.post(f"{url}/essay", json={"points": 1}, headers=auth(who))
    ).status_code == 403
    assert (await client.post(f"{url}/essay", json={"points": 6}, headers=ADMIN)).status_code == 422
    assert (
        await client.post(f"{url}/essay", json={"points": -1}, headers=ADMIN)
    ).status_code == 422
    assert (await client.post(f"{url}/pi", json={"points": 0.1}, headers=ADMIN)).status_code == 422
    assert (await client.post(f"{url}/nope", json={"points": 1}, headers=ADMIN)).status_code == 404

    first = await client.post(
        f"{url}/essay", json={"points": 3.5, "comment": "Good start"}, headers=ADMIN
    )
    assert first.status_code == 200, first.text
    assert (first.json()["scored"], first.json()["pending_points"]) == (False, 4)
    last = await client.post(f"{url}/sim", json={"points": 4}, headers=ADMIN)
    assert last.json()["scored"] is True
    assert last.json()["pending_points"] == 0
    assert last.json()["score"] == 7.5

    read = (await client.get(f"/api/v1/attempts/{attempt}", headers=auth(who))).json()
    assert read["answers"] == {"essay": "My essay.", "sim": [1, 2]}  # never changed
    assert read["result"]["score"] == 7.5
    events = (await client.get(f"/api/v1/attempts/{attempt}/events", headers=ADMIN)).json()
    kinds = [event["kind"] for event in events]
    assert kinds[-3:] == ["question_scored", "question_scored", "attempt_rescored"]
    assert events[-3]["data"] == {
        "question_id": "essay",
        "points": 3.5,
        "scorer": "admin-1",
        "comment": "Good start",
    }
