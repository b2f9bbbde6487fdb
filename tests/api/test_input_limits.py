"""The operator's HOURGLASS_MAX_* limits: at the limit accepted, past it a 422 naming the
part (413 for the body), and nothing stored. A service of its own, with small limits."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from presentation.bootstrap.app import create_app
from tests.api.conftest import ADMIN, ClockProvider, TravellingClock, api_settings, auth
from tests.api.hostile import database, fingerprint, is_problem
from tests.backend import Backend

__all__ = ["database"]

Client = AsyncTestClient[Litestar]
LIMITS = {
    "max_questions_per_exam": 3,
    "max_options_per_question": 3,
    "max_title_length": 10,
    "max_stem_length": 20,
    "max_option_text_length": 5,
    "max_reason_length": 8,
    "max_request_body_bytes": 4096,
}


@pytest.fixture(scope="module")
async def tight(backend: Backend, clock: TravellingClock) -> AsyncIterator[Client]:
    app = create_app(api_settings(backend, **LIMITS), ClockProvider(clock))
    async with AsyncTestClient(app=app) as client:
        yield client


def _question(number: int, options: int = 3, stem: str = "s" * 20, text: str = "t" * 5) -> Any:
    keys = "ABCDEFGH"[:options]
    return {
        "id": f"q{number}",
        "stem": stem,
        "options": [{"key": key, "text": text} for key in keys],
        "correct_key": "A",
        "content_area": "a" * 10,
    }


def _exam(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "t" * 10,
        "duration_seconds": 600,
        "questions": [_question(n) for n in range(1, 4)],
    }
    return body | overrides


async def test_an_exam_at_every_limit_is_accepted(tight: Client) -> None:
    created = await tight.post("/api/v1/exams", json=_exam(), headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json()["question_count"] == 3


async def test_past_each_limit_an_exam_is_422_naming_the_part(
    tight: Client, database: asyncpg.Connection
) -> None:
    over = {
        "questions": _exam(questions=[_question(n) for n in range(1, 5)]),
        "questions[1].options": _exam(questions=[_question(1), _question(2, options=4)]),
        "title": _exam(title="t" * 11),
        "questions[0].stem": _exam(questions=[_question(1, stem="s" * 21)]),
        "questions[0].options[0].text": _exam(questions=[_question(1, text="t" * 6)]),
        "questions[0].content_area": _exam(questions=[{**_question(1), "content_area": "a" * 11}]),
    }
    before = await fingerprint(database)
    for part, body in over.items():
        response = await tight.post("/api/v1/exams", json=body, headers=ADMIN)
        assert is_problem(response, 422), (part, response.text)
        assert part in [error["key"] for error in response.json()["errors"]], response.text
        assert part in response.json()["detail"]
    assert await fingerprint(database) == before


async def test_past_the_reason_limit_a_time_change_is_422(
    tight: Client, database: asyncpg.Connection
) -> None:
    exam = (await tight.post("/api/v1/exams", json=_exam(), headers=ADMIN)).json()
    candidate = f"limits-{uuid.uuid4().hex[:8]}"
    started = await tight.post(f"/api/v1/exams/{exam['id']}/attempts", headers=auth(candidate))
    attempt = f"/api/v1/attempts/{started.json()['id']}"
    before = await fingerprint(database)
    for path, body in [
        (f"{attempt}/extensions", {"seconds": 60, "reason": "r" * 9}),
        (f"{attempt}/pause", {"reason": "r" * 9}),
    ]:
        response = await tight.post(path, json=body, headers=ADMIN)
        assert is_problem(response, 422), (path, response.text)
    accommodation = await tight.put(
        f"/api/v1/exams/{exam['id']}/accommodations/{candidate}",
        json={"reason": "r" * 9, "extra_seconds": 60},
        headers=ADMIN,
    )
    assert is_problem(accommodation, 422), accommodation.text
    assert await fingerprint(database) == before
    paused = await tight.post(f"{attempt}/pause", json={"reason": "r" * 8}, headers=ADMIN)
    assert paused.status_code == 200, paused.text


async def test_a_body_over_the_size_limit_is_413(
    tight: Client, database: asyncpg.Connection
) -> None:
    before = await fingerprint(database)
    body = json.dumps(_exam()).encode()
    padded = body[:-1] + b" " * (4097 - len(body)) + b"}"  # one byte over
    response = await tight.post(
        "/api/v1/exams", content=padded, headers={**ADMIN, "content-type": "application/json"}
    )
    assert is_problem(response, 413), response.text
    assert await fingerprint(database) == before
