"""Attempt.start: the exam window and the deadline fixed at start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ExamNotOpen
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.builders import make_exam
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, GRACE, MIN, SEC, start


def test_a_new_attempt_is_in_progress_at_version_zero() -> None:
    attempt = start()
    assert attempt.status is AttemptStatus.IN_PROGRESS
    assert attempt.version == 0
    assert attempt.answers == {}
    assert attempt.result is None
    assert (attempt.exam_id, attempt.candidate_id, attempt.mode) == (EXAM.id, "alice", EXAM.mode)


def test_the_timer_comes_from_the_exam() -> None:
    timer = start().timer
    assert (timer.started_at, timer.duration, timer.grace) == (T0, 30 * MIN, GRACE)
    assert timer.deadline == DEADLINE


def test_start_is_audited_without_a_version_bump() -> None:
    [event] = start().pending_events
    assert event.kind is EventKind.STARTED
    assert event.version == 0
    assert event.at == T0
    assert event.data == {"deadline": DEADLINE.isoformat()}


def test_accommodation_applies_at_start() -> None:
    attempt = start(time_multiplier=1.5, extra_time=5 * MIN)
    assert attempt.timer.deadline == T0 + 50 * MIN


def test_the_deadline_is_capped_by_the_exam_closing() -> None:
    exam = make_exam(duration=30 * MIN, closes_at=T0 + 10 * MIN)
    assert start(exam).timer.deadline == T0 + 10 * MIN


class TestWindow:
    exam = make_exam(opens_at=T0, closes_at=T0 + 2 * 60 * MIN)

    def test_refused_before_it_opens(self) -> None:
        with pytest.raises(ExamNotOpen, match="opens at"):
            start(self.exam, now=T0 - SEC)

    def test_allowed_from_the_moment_it_opens(self) -> None:
        assert start(self.exam, now=T0).timer.started_at == T0

    def test_allowed_until_just_before_it_closes(self) -> None:
        attempt = start(self.exam, now=T0 + 2 * 60 * MIN - SEC)
        assert attempt.timer.deadline == T0 + 2 * 60 * MIN

    @pytest.mark.parametrize("after", [timedelta(0), SEC, 60 * MIN])
    def test_refused_at_and_after_it_closes(self, after: timedelta) -> None:
        with pytest.raises(ExamNotOpen, match="closed at"):
            start(self.exam, now=T0 + 2 * 60 * MIN + after)
