"""Helpers shared by the attempt tests: an exam, a started attempt, moments around it."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

from domain.attempt import Attempt
from domain.exam import Exam
from tests.fakes.builders import make_exam, make_question
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
NETWORK = timedelta(seconds=2)
GRACE = timedelta(seconds=30)
DEADLINE = T0 + 30 * MIN

EXAM = make_exam(
    duration=30 * MIN,
    grace=GRACE,
    questions=(
        make_question("q1", correct_key="A", points=1),
        make_question("q2", correct_key="B", points=2),
        make_question("q3", correct_key="C", points=3),
    ),
)


def start(
    exam: Exam = EXAM,
    now: datetime = T0,
    *,
    time_multiplier: float = 1.0,
    extra_time: timedelta = timedelta(0),
) -> Attempt:
    return Attempt.start(
        attempt_id=uuid4(),
        exam=exam,
        candidate_id="alice",
        now=now,
        time_multiplier=time_multiplier,
        extra_time=extra_time,
    )


def save(
    attempt: Attempt,
    question_id: str,
    option: str,
    now: datetime,
    *,
    expected_version: int | None = None,
) -> int:
    question = EXAM.question(question_id)
    attempt.save_answer(
        question, option, now=now, network_grace=NETWORK, expected_version=expected_version
    )
    return attempt.version


def answered() -> Attempt:
    """An attempt with q1 right (1 point), q2 wrong, q3 right (3 points) of 6."""
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    save(attempt, "q2", "C", T0 + 2 * MIN)
    save(attempt, "q3", "C", T0 + 3 * MIN)
    return attempt
