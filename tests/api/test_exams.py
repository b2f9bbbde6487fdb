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
    assert exam["id"] in await _listed_ids(client, auth("carol"))


async def _listed_ids(client: Client, headers: dict[str, str], limit: int = 100) -> list[str]:
    """Every exam id, following the `Link: rel="next"` of each page to the last."""
    ids: list[str] = []
    url: str | None = f"/api/v1/exams?limit={limit}"
    while url is not None:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        ids += [summary["id"] for summary in response.json()]
        url = response.links.get("next", {}).get("url")
    return ids


async def test_the_list_is_summaries_without_questions(client: Client) -> None:
    exam = await create_exam(client)
    page = await client.get("/api/v1/exams?limit=500", headers=ADMIN)
    listed = {summary["id"]: summary for summary in page.json()}
    while exam["id"] not in listed:
        page = await client.get(page.links["next"]["url"], headers=ADMIN)
        listed = {summary["id"]: summary for summary in page.json()}
    summary = listed[exam["id"]]
    assert "questions" not in summary
    assert summary["question_count"] == 3
    assert summary["title"] == exam["title"]
    assert summary["duration_seconds"] == 600


async def test_the_list_comes_in_pages_oldest_first(client: Client) -> None:
    created = [(await create_exam(client, title=f"Paged {n}"))["id"] for n in range(3)]
    one_by_one = await _listed_ids(client, ADMIN, limit=1)
    assert len(one_by_one) == len(set(one_by_one))
    assert [i for i in one_by_one if i in created] == created
    assert await _listed_ids(client, ADMIN, limit=500) == one_by_one
    first = await client.get("/api/v1/exams?limit=1", headers=ADMIN)
    assert len(first.json()) == 1
    assert first.links["next"]["url"].startswith("/api/v1/exams?limit=1&cursor=")


async def test_bad_page_parameters_are_422(client: Client) -> None:
    for query in (
        "limit=0",
        "limit=501",
        "limit=ten",
        "cursor=not-a-cursor",
        "cursor=" + "A" * 300,
    ):
        response = await client.get(f"/api/v1/exams?{query}", headers=ADMIN)
        assert response.status_code == 422, (query, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


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
