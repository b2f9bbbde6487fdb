"""Submitting and expiring: scores, idempotence and what an expired attempt counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import AttemptPaused
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.builders import make_exam
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, GRACE, MIN, NETWORK, SEC, answered, start


class TestSubmit:
    def test_scores_the_saved_answers(self) -> None:
        attempt = answered()
        result = attempt.submit(EXAM, T0 + 10 * MIN)
        assert attempt.status is AttemptStatus.SUBMITTED
        assert attempt.result is result
        assert result.status is AttemptStatus.SUBMITTED
        assert (result.score, result.max_score, result.answered, result.correct) == (4, 6, 3, 2)
        assert result.finished_at == T0 + 10 * MIN
        assert result.time_taken_seconds == 600

    def test_is_audited_as_a_change(self) -> None:
        attempt = answered()
        attempt.submit(EXAM, T0 + 10 * MIN)
        event = attempt.pending_events[-1]
        assert (event.kind, event.version, event.at) == (EventKind.SUBMITTED, 4, T0 + 10 * MIN)
        assert event.data == {"score": 4, "max_score": 6}

    def test_is_idempotent(self) -> None:
        attempt = answered()
        first = attempt.submit(EXAM, T0 + 10 * MIN)
        events = list(attempt.pending_events)
        again = attempt.submit(EXAM, T0 + 20 * MIN)
        assert again is first
        assert again.finished_at == T0 + 10 * MIN
        assert attempt.pending_events == events
        assert attempt.version == 4

    def test_within_grace_is_a_submission_of_the_full_time(self) -> None:
        result = answered().submit(EXAM, DEADLINE + GRACE - SEC)
        assert result.status is AttemptStatus.SUBMITTED
        assert result.finished_at == DEADLINE + GRACE - SEC
        assert result.time_taken_seconds == 30 * 60

    @pytest.mark.parametrize("after", [GRACE, GRACE + 60 * MIN])
    def test_past_deadline_and_grace_the_attempt_expires(self, after: timedelta) -> None:
        attempt = answered()
        result = attempt.submit(EXAM, DEADLINE + after)
        assert attempt.status is AttemptStatus.EXPIRED
        assert result.status is AttemptStatus.EXPIRED
        assert result.finished_at == DEADLINE
        assert result.time_taken_seconds == 30 * 60
        assert result.score == 4
        assert attempt.pending_events[-1].kind is EventKind.EXPIRED

    def test_a_paused_attempt_cannot_be_submitted(self) -> None:
        attempt = start()
        attempt.pause(reason="proctor check", now=T0 + MIN)
        with pytest.raises(AttemptPaused):
            attempt.submit(EXAM, T0 + 2 * MIN)
        assert attempt.result is None

    def test_an_expired_attempt_returns_its_expiry(self) -> None:
        attempt = answered()
        expired = attempt.expire(EXAM, DEADLINE + GRACE)
        assert attempt.submit(EXAM, DEADLINE + GRACE + MIN) is expired


class TestExpire:
    def test_refused_before_the_attempt_is_overdue(self) -> None:
        attempt = answered()
        with pytest.raises(ValueError, match="overdue"):
            attempt.expire(EXAM, DEADLINE + GRACE - SEC, NETWORK)
        assert attempt.status is AttemptStatus.IN_PROGRESS

    def test_scores_saved_answers_as_of_the_deadline(self) -> None:
        attempt = answered()
        result = attempt.expire(EXAM, DEADLINE + 5 * MIN, NETWORK)
        assert attempt.status is AttemptStatus.EXPIRED
        assert (result.score, result.answered, result.correct) == (4, 3, 2)
        assert result.finished_at == DEADLINE
        assert result.time_taken_seconds == 30 * 60
        event = attempt.pending_events[-1]
        assert (event.kind, event.at, event.version) == (EventKind.EXPIRED, DEADLINE + 5 * MIN, 4)

    def test_is_idempotent(self) -> None:
        attempt = answered()
        first = attempt.expire(EXAM, DEADLINE + GRACE)
        assert attempt.expire(EXAM, DEADLINE + 60 * MIN) is first
        assert attempt.version == 4

    def test_a_submitted_attempt_keeps_its_submission(self) -> None:
        attempt = answered()
        submitted = attempt.submit(EXAM, T0 + 5 * MIN)
        assert attempt.expire(EXAM, DEADLINE + GRACE) is submitted
        assert attempt.status is AttemptStatus.SUBMITTED

    def test_the_network_grace_delays_expiry_when_longer_than_grace(self) -> None:
        exam = make_exam(duration=30 * MIN, grace=timedelta(0))
        attempt = start(exam)
        assert not attempt.is_overdue(DEADLINE + SEC, NETWORK)
        with pytest.raises(ValueError, match="overdue"):
            attempt.expire(exam, DEADLINE + SEC, NETWORK)
        assert attempt.is_overdue(DEADLINE + NETWORK, NETWORK)

    def test_a_paused_attempt_is_never_overdue(self) -> None:
        attempt = start()
        attempt.pause(reason="fire alarm", now=T0 + MIN)
        assert not attempt.is_overdue(DEADLINE + 24 * 60 * MIN, NETWORK)

    def test_a_pause_that_outlasts_the_exam_window_ends_with_it(self) -> None:
        exam = make_exam(duration=30 * MIN, closes_at=T0 + 20 * MIN, grace=timedelta(0))
        attempt = start(exam)
        attempt.pause(reason="fire alarm", now=T0 + 5 * MIN)
        later = T0 + 20 * MIN + NETWORK
        assert attempt.is_overdue(later, NETWORK)
        result = attempt.expire(exam, later, NETWORK)
        assert result.status is AttemptStatus.EXPIRED
        assert result.finished_at == T0 + 20 * MIN
        assert result.time_taken_seconds == 5 * 60  # worked 5 minutes, then paused until the close
        assert not attempt.timer.is_paused

    def test_a_final_attempt_is_never_overdue(self) -> None:
        attempt = start()
        attempt.submit(EXAM, T0 + MIN)
        assert not attempt.is_overdue(DEADLINE + 60 * MIN, NETWORK)
