"""Typed answers in PostgreSQL: each saved by the one conditional statement, stored as the
JSON value its type takes (never a list as a string), scored back and forth exactly."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import AppliedAnswer
from domain.attempt import Attempt
from domain.exam import Exam, Option, Question
from domain.questions import (
    Essay,
    External,
    JsonValue,
    MultipleChoice,
    MultipleScoring,
    NumericAnswer,
    TextAnswer,
)
from domain.scores import AwardedScore
from tests.backend import Backend
from tests.integration.postgres.builders import (
    NOW,
    ZERO,
    answer_writes,
    attempts_in,
    fixed_exam,
    started,
    stored_exam,
)

pytestmark = pytest.mark.integration

OPTIONS = tuple(Option(key=k, text=k) for k in "abcd")
QUESTIONS = (
    Question(id="q1", stem="s", options=OPTIONS, correct_key="a"),
    Question(
        id="m",
        stem="s",
        options=OPTIONS,
        key=MultipleChoice(correct_keys=frozenset("ab"), scoring=MultipleScoring.PARTIAL),
    ),
    Question(id="n", stem="s", key=NumericAnswer(value=-2.5, tolerance=0.1, relative=True)),
    Question(id="t", stem="s", key=TextAnswer(accepted=("x",), pattern=r"y+", max_length=20)),
    Question(id="e", stem="s", key=Essay(max_length=500), points=2.5),
    Question(id="x", stem="s", key=External(max_length=1000)),
)
RESPONSES: dict[str, JsonValue] = {
    "q1": "a",
    "m": ["b", "c"],
    "n": -2.4,
    "t": "YYY",
    "e": "Ein Aufsatz über nichts.",
    "x": {"nested": [1, None, {"deep": True}], "n": 1.5},
}
SOON = NOW + timedelta(minutes=5)


@pytest.fixture
async def exam(sessions: async_sessionmaker[AsyncSession]) -> Exam:
    return await stored_exam(sessions, fixed_exam(questions=QUESTIONS))


@pytest.fixture
async def attempt(sessions: async_sessionmaker[AsyncSession], exam: Exam) -> Attempt:
    attempt = started(exam)
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()
    return attempt


async def test_the_exam_reads_back_with_every_type(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    from infrastructure.postgres.exam_cache import ExamCache
    from infrastructure.postgres.exams import SqlExamRepository
    from infrastructure.postgres.sessions import OneSession

    async with sessions() as session:
        loaded = await SqlExamRepository(OneSession(session), ExamCache()).get(exam.id)
    assert loaded is not None
    assert [q.answer_key for q in loaded.questions] == [q.answer_key for q in QUESTIONS]


async def test_each_response_is_stored_as_its_json_type(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt, backend: Backend
) -> None:
    for version, (qid, response) in enumerate(RESPONSES.items(), start=1):
        change = attempt.answer_change(exam.question(qid), response, now=SOON, network_grace=ZERO)
        applied = await answer_writes().apply_answer(change, answers_close_after=SOON)
        assert isinstance(applied, AppliedAnswer)
        assert applied.version == version

    connection = await asyncpg.connect(backend.database_url)
    try:
        types = dict(
            await connection.fetch(
                "SELECT key, jsonb_typeof(value) FROM attempts, jsonb_each(answers) WHERE id = $1",
                attempt.id,
            )
        )
    finally:
        await connection.close()
    assert types == {
        "q1": "string",
        "m": "array",
        "n": "number",
        "t": "string",
        "e": "string",
        "x": "object",
    }

    async with sessions() as session:
        loaded = await attempts_in(session).get_for_update(attempt.id)
        assert loaded is not None
        assert loaded.answers == RESPONSES
        result = loaded.submit(exam, SOON)
        # q1 1, m 0 (1 right, 1 wrong), n 1 (within 4 %), t 1 (the pattern), x pending too.
        assert (result.score, result.pending_points) == (3, 3.5)
        loaded.award(
            exam, exam.question("e"), AwardedScore(points=Fraction(5, 3), scorer="ms"), now=SOON
        )
        await attempts_in(session).update(loaded)
        await session.commit()

    async with sessions() as session:
        final = await attempts_in(session).get(attempt.id)
    assert final is not None
    assert final.awarded["e"].points == Fraction(5, 3)  # a third stays a third
    assert final.result is not None
    assert (final.result.score, final.result.pending_points) == (4.666667, 1)
    assert final.answers == RESPONSES
