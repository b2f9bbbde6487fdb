from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, exam_body

Client = AsyncTestClient[Litestar]


async def test_admin_creates_an_exam_and_sees_its_keys(client: Client) -> None:
    exam = await create_exam(client)
    assert exam["mode"] == "fixed"
    assert exam["duration_seconds"] == 600
    assert exam["question_count"] == 3
    assert [q["correct_key"] for q in exam["questions"]] == ["B", "A", "B"]


async def test_candidates_never_see_correct_keys(client: Client) -> None:
    exam = await create_exam(client)
    one = await client.get(f"/api/v1/exams/{exam['id']}", headers=auth("carol"))
    listed = await client.get("/api/v1/exams", headers=auth("carol"))
    assert one.status_code == 200
    assert listed.status_code == 200
    assert "correct_key" not in one.text
    assert "correct_key" not in listed.text
    assert exam["id"] in {e["id"] for e in listed.json()}


async def test_candidate_cannot_create_an_exam(client: Client) -> None:
    response = await client.post("/api/v1/exams", json=exam_body(), headers=auth("carol"))
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_unknown_exam_is_404(client: Client) -> None:
    response = await client.get(f"/api/v1/exams/{uuid.uuid4()}", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_malformed_exam_id_is_404_not_500(client: Client) -> None:
    response = await client.get("/api/v1/exams/not-a-uuid", headers=ADMIN)
    assert response.status_code in {400, 404}


async def test_invalid_definitions_are_422_problems(client: Client) -> None:
    bad_bodies = [
        exam_body(duration_seconds=0),
        exam_body(grace_seconds=-1),
        exam_body(questions=[]),
        exam_body(max_attempts=0),
        exam_body(duration_seconds=1e300),  # found by the fuzzer: once a 500 (overflow)
        exam_body(grace_seconds=10**12),
        exam_body(mode="oral"),
        exam_body(opens_at="2030-01-02T00:00:00Z", closes_at="2030-01-01T00:00:00Z"),
        exam_body(opens_at="2030-01-02T00:00:00"),  # no time zone
        exam_body(
            questions=[{"stem": "?", "options": [{"key": "A", "text": "a"}], "correct_key": "A"}]
        ),
        exam_body(
            questions=[
                {
                    "stem": "?",
                    "options": [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}],
                    "correct_key": "C",
                }
            ]
        ),
        exam_body(mode="adaptive"),  # no adaptive settings, no irt
        {"title": "no questions or duration"},
    ]
    for body in bad_bodies:
        response = await client.post("/api/v1/exams", json=body, headers=ADMIN)
        assert response.status_code == 422, (body, response.text)
        problem = response.json()
        assert problem["status"] == 422
        assert problem["title"]
        assert problem["detail"]


async def test_body_that_is_not_json_is_a_client_error(client: Client) -> None:
    response = await client.post(
        "/api/v1/exams", content=b"{not json", headers={**ADMIN, "content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500
