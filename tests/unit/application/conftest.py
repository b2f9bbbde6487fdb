from __future__ import annotations

import pytest

from domain.attempt import Attempt
from domain.exam import Exam
from tests.fakes.builders import Services, make_exam, wire


@pytest.fixture
def services() -> Services:
    return wire()


@pytest.fixture
async def exam(services: Services) -> Exam:
    """A 30-minute fixed exam, 30 s grace, questions q1..q3 (all correct A, 1 point each)."""
    return await services.given_exam(make_exam())


@pytest.fixture
async def attempt(services: Services, exam: Exam) -> Attempt:
    """Alice's attempt at `exam`, started at T0."""
    return await services.started(exam)
