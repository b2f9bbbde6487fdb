from __future__ import annotations

import pytest

from domain.attempt import Attempt
from domain.exam import Exam
from tests.fakes.adaptive import AdaptiveServices, wire_adaptive
from tests.fakes.builders import Services, make_adaptive_exam, make_exam, wire


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


# Adaptive attempts (helpers in tests/unit/application/adaptive.py).


@pytest.fixture
def cat(services: Services) -> AdaptiveServices:
    return wire_adaptive(services)


@pytest.fixture
async def adaptive_exam(services: Services) -> Exam:
    """Ten items q1..q10 (key A, 1 point each); the test stops after four."""
    return await services.given_exam(make_adaptive_exam(items=10, max_items=4))


@pytest.fixture
async def adaptive_attempt(services: Services, adaptive_exam: Exam) -> Attempt:
    return await services.started(adaptive_exam)
