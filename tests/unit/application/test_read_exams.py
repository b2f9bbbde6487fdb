from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from application.errors import ExamNotFound
from application.use_cases.read_exams import ExamListQuery
from tests.fakes.builders import Services, make_exam


async def test_list_exams_oldest_first_as_summaries(services: Services) -> None:
    first = await services.given_exam(make_exam(title="First"))
    second = await services.given_exam(make_exam(title="Second"))
    page = await services.list_exams(ExamListQuery(limit=10))
    assert [summary.id for summary in page.summaries] == [first.id, second.id]
    assert page.summaries[0].title == "First"
    assert page.summaries[0].question_count == len(first.questions)
    assert page.next_after is None


async def test_list_exams_page_by_page(services: Services) -> None:
    exams = [await services.given_exam(make_exam(title=f"Exam {n}")) for n in range(5)]
    seen: list[UUID] = []
    after = None
    pages = 0
    while True:
        page = await services.list_exams(ExamListQuery(after=after, limit=2))
        seen += [summary.id for summary in page.summaries]
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [exam.id for exam in exams]
    assert pages == 3


async def test_a_full_last_page_says_there_is_no_next(services: Services) -> None:
    for _ in range(2):
        await services.given_exam()
    page = await services.list_exams(ExamListQuery(limit=2))
    assert len(page.summaries) == 2
    assert page.next_after is None


async def test_list_exams_when_there_are_none(services: Services) -> None:
    page = await services.list_exams(ExamListQuery(limit=10))
    assert page.summaries == []
    assert page.next_after is None


async def test_get_exam_by_id(services: Services) -> None:
    exam = await services.given_exam()
    assert await services.get_exam(exam.id) == exam


async def test_get_an_unknown_exam(services: Services) -> None:
    with pytest.raises(ExamNotFound):
        await services.get_exam(uuid4())
