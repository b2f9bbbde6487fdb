from __future__ import annotations

import pytest

from application.errors import AccessDenied
from domain.attempt import Attempt
from domain.errors import WrongExamMode
from domain.exam import Exam
from tests.fakes.builders import ADMIN, BOB, Services, make_adaptive_exam, query


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
