from __future__ import annotations

from uuid import uuid4

import pytest

from application.errors import ExamNotFound
from tests.fakes.builders import Services, make_exam


async def test_list_exams_oldest_first(services: Services) -> None:
    first = await services.given_exam(make_exam(title="First"))
    second = await services.given_exam(make_exam(title="Second"))
    assert await services.list_exams() == [first, second]


async def test_list_exams_when_there_are_none(services: Services) -> None:
    assert await services.list_exams() == []


async def test_get_exam_by_id(services: Services) -> None:
    exam = await services.given_exam()
    assert await services.get_exam(exam.id) == exam


async def test_get_an_unknown_exam(services: Services) -> None:
    with pytest.raises(ExamNotFound):
        await services.get_exam(uuid4())
