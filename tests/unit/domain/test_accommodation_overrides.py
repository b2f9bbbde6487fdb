"""An accommodation's own window and extra attempts: the exam as that candidate takes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.accommodation import Accommodation
from domain.errors import InvalidAccommodation
from tests.fakes.builders import make_exam
from tests.fakes.clock import T0

HOUR = timedelta(hours=1)


def test_each_end_of_the_window_replaces_the_exams_and_attempts_add_up() -> None:
    exam = make_exam(opens_at=T0, closes_at=T0 + HOUR, max_attempts=2)
    own = Accommodation(reason="x", closes_at=T0 + 3 * HOUR, extra_attempts=1)
    taken = own.exam_for_candidate(exam)
    assert (taken.opens_at, taken.closes_at, taken.max_attempts) == (T0, T0 + 3 * HOUR, 3)
    assert taken.questions == exam.questions


def test_time_alone_leaves_the_exam_as_it_is() -> None:
    exam = make_exam()
    assert Accommodation(reason="x", time_multiplier=1.5).exam_for_candidate(exam) is exam


@pytest.mark.parametrize(
    "fields",
    [
        {"opens_at": T0, "closes_at": T0},
        {"extra_attempts": -1},
        {"extra_attempts": 101},
        {"closes_at": T0.replace(tzinfo=None)},
    ],
)
def test_refuses_an_impossible_override(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidAccommodation):
        Accommodation(reason="x", **fields)  # type: ignore[arg-type]


def test_an_own_opening_after_the_exams_close_is_refused_at_start() -> None:
    exam = make_exam(closes_at=T0 + HOUR)
    with pytest.raises(InvalidAccommodation):
        Accommodation(reason="x", opens_at=T0 + 2 * HOUR).exam_for_candidate(exam)
