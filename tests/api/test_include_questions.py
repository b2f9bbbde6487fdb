"""`?include=questions`: the page starts or reloads an attempt and gets its questions in
the same round trip, exactly as GET .../questions lists them."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam
from tests.api.test_adaptive import ITEMS

Client = AsyncTestClient[Litestar]
WITH_QUESTIONS = {"include": "questions"}


def _candidate() -> str:
    return f"included-{uuid.uuid4().hex[:8]}"


async def _listed(client: Client, attempt_id: str, headers: dict[str, str]) -> Any:
    listed = await client.get(f"/api/v1/attempts/{attempt_id}/questions", headers=headers)
    assert listed.status_code == 200, listed.text
    return listed.json()


async def test_a_start_and_its_resume_carry_the_questions_as_listed(client: Client) -> None:
    exam = await create_exam(client)
    candidate = _candidate()
    path = f"/api/v1/exams/{exam['id']}/attempts"

    started = await client.post(path, params=WITH_QUESTIONS, headers=auth(candidate))
    resumed = await client.post(path, params=WITH_QUESTIONS, headers=auth(candidate))

    assert started.status_code == 201, started.text
    assert resumed.status_code == 200, resumed.text
    attempt = started.json()
    listed = await _listed(client, attempt["id"], auth(candidate))
    assert [q["id"] for q in listed] == ["q1", "q2", "q3"]
    assert attempt["questions"] == listed
    assert resumed.json()["questions"] == listed
    assert resumed.json()["id"] == attempt["id"]
    assert all("correct_key" not in q for q in attempt["questions"])


async def test_reading_an_attempt_includes_them_only_when_asked(client: Client) -> None:
    exam = await create_exam(client, shuffle_options=True)
    candidate = _candidate()
    started = await client.post(f"/api/v1/exams/{exam['id']}/attempts", headers=auth(candidate))
    assert started.status_code == 201, started.text
    assert "questions" not in started.json()
    attempt_path = f"/api/v1/attempts/{started.json()['id']}"

    plain = await client.get(attempt_path, headers=auth(candidate))
    included = await client.get(attempt_path, params=WITH_QUESTIONS, headers=auth(candidate))
    by_admin = await client.get(attempt_path, params=WITH_QUESTIONS, headers=ADMIN)

    assert "questions" not in plain.json()
    # This attempt's own option order (shuffled per attempt), as its listing has it.
    listed = await _listed(client, started.json()["id"], auth(candidate))
    assert included.json()["questions"] == listed
    assert by_admin.json()["questions"] == listed
    other = await client.get(attempt_path, params=WITH_QUESTIONS, headers=auth("someone-else"))
    assert other.status_code == 403


async def test_a_sectioned_attempt_includes_the_sections_reached(client: Client) -> None:
    options = [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}]
    questions = [
        {"id": qid, "stem": f"{qid}?", "options": options, "correct_key": "A"}
        for qid in ("l1", "l2", "r1", "r2")
    ]
    sections = [
        {"id": "listening", "duration_seconds": 60, "question_ids": ["l1", "l2"]},
        {"id": "reading", "navigation": "sequential", "question_ids": ["r1", "r2"]},
    ]
    exam = await create_exam(client, questions=questions, sections=sections)
    candidate = _candidate()

    started = await client.post(
        f"/api/v1/exams/{exam['id']}/attempts", params=WITH_QUESTIONS, headers=auth(candidate)
    )

    assert started.status_code == 201, started.text
    attempt = started.json()
    assert [q["id"] for q in attempt["questions"]] == ["l1", "l2"]
    assert attempt["questions"] == await _listed(client, attempt["id"], auth(candidate))


async def test_an_adaptive_attempt_comes_without_them(client: Client) -> None:
    rules = {"max_items": 4, "min_items": 2, "se_target": 0.3}
    exam = await create_exam(client, mode="adaptive", questions=ITEMS, adaptive=rules)

    started = await client.post(
        f"/api/v1/exams/{exam['id']}/attempts", params=WITH_QUESTIONS, headers=auth(_candidate())
    )

    assert started.status_code == 201, started.text
    assert started.json()["mode"] == "adaptive"
    assert "questions" not in started.json()


async def test_anything_else_to_include_is_422_and_starts_nothing(client: Client) -> None:
    exam = await create_exam(client)
    candidate = _candidate()
    path = f"/api/v1/exams/{exam['id']}/attempts"

    refused = await client.post(path, params={"include": "answers"}, headers=auth(candidate))

    assert refused.status_code == 422, refused.text  # as every query value refused
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "include" in refused.text
    # Nothing was started: the first start is still the candidate's first.
    assert (await client.post(path, headers=auth(candidate))).status_code == 201
