from __future__ import annotations

from dataclasses import replace

import pytest

from application.errors import AccessDenied
from domain.attempt import Attempt
from domain.errors import WrongExamMode
from domain.exam import Exam
from domain.sections import Section
from tests.fakes.builders import (
    ADMIN,
    BOB,
    Services,
    make_adaptive_exam,
    make_exam,
    make_questions,
    query,
)


async def test_the_owner_gets_the_questions(
    services: Services, exam: Exam, attempt: Attempt
) -> None:
    assert await services.list_questions(query(attempt)) == exam.questions


async def test_an_admin_gets_them_too(services: Services, exam: Exam, attempt: Attempt) -> None:
    assert await services.list_questions(query(attempt, ADMIN)) == exam.questions


async def test_another_candidate_may_not(services: Services, attempt: Attempt) -> None:
    with pytest.raises(AccessDenied):
        await services.list_questions(query(attempt, BOB))


async def test_still_served_when_hot_state_is_down(
    services: Services, exam: Exam, attempt: Attempt
) -> None:
    services.hot_state.down = True
    assert await services.list_questions(query(attempt)) == exam.questions


async def test_an_adaptive_attempt_serves_one_item_at_a_time(services: Services) -> None:
    exam = await services.given_exam(make_adaptive_exam())
    attempt = await services.started(exam)
    with pytest.raises(WrongExamMode):
        await services.list_questions(query(attempt))


async def test_a_plain_exam_lists_the_same_for_every_attempt(services: Services) -> None:
    exam = await services.given_exam(make_exam())
    listing = await services.list_questions.listing(query(await services.started(exam)))
    assert listing.shared_by is exam
    assert tuple(listed.question for listed in listing.questions) == exam.questions


async def test_shuffled_options_are_the_attempts_own(services: Services) -> None:
    exam = await services.given_exam(replace(make_exam(), shuffle_options=True))
    listing = await services.list_questions.listing(query(await services.started(exam)))
    assert listing.shared_by is None


async def test_sections_make_each_list_the_attempts_own(services: Services) -> None:
    questions = make_questions(4)
    sections = (
        Section(id="one", question_ids=(questions[0].id, questions[1].id)),
        Section(id="two", question_ids=(questions[2].id, questions[3].id)),
    )
    exam = await services.given_exam(replace(make_exam(questions=questions), sections=sections))
    listing = await services.list_questions.listing(query(await services.started(exam)))
    assert listing.shared_by is None
    assert [listed.section_id for listed in listing.questions] == ["one", "one"]
