from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied
from application.use_cases.create_exam import CreateExamCommand
from domain.errors import InvalidExamDefinition
from domain.exam import Exam, ExamMode
from tests.fakes.builders import ADMIN, ALICE, Services, make_questions


def command(**overrides: object) -> CreateExamCommand:
    fields: dict[str, object] = {
        "actor": ADMIN,
        "title": "Geometry",
        "mode": ExamMode.FIXED,
        "duration": timedelta(minutes=45),
        "questions": make_questions(4),
        "grace": timedelta(seconds=10),
        "max_attempts": 2,
    }
    fields.update(overrides)
    return CreateExamCommand(**fields)  # type: ignore[arg-type]


async def committed_exams(services: Services) -> list[Exam]:
    return list(services.exams.store.rows.values())


async def test_an_admin_creates_a_committed_exam(services: Services) -> None:
    exam = await services.create_exam(command())
    assert (exam.title, exam.duration, exam.max_attempts) == ("Geometry", timedelta(minutes=45), 2)
    assert len(exam.questions) == 4
    assert services.transaction.commits == 1
    assert await committed_exams(services) == [exam]


async def test_each_exam_gets_its_own_id(services: Services) -> None:
    first = await services.create_exam(command())
    second = await services.create_exam(command())
    assert first.id != second.id


async def test_a_candidate_may_not_create_exams(services: Services) -> None:
    with pytest.raises(AccessDenied):
        await services.create_exam(command(actor=ALICE))
    assert services.transaction.commits == 0
    assert await committed_exams(services) == []


async def test_an_invalid_definition_stores_nothing(services: Services) -> None:
    with pytest.raises(InvalidExamDefinition):
        await services.create_exam(command(duration=timedelta(0)))
    assert not services.transaction.has_staged_writes
    assert await committed_exams(services) == []
