"""An admin terminates an attempt (final at once, scored like a submit) or reopens one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import AttemptAlreadyFinal, AttemptNotFinal, InvalidExtension
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, GRACE, MIN, NETWORK, answered, start


def test_terminate_scores_the_saved_answers_and_records_why() -> None:
    attempt = answered()
    result = attempt.terminate(EXAM, reason="phone in the room", now=T0 + 10 * MIN)
    assert attempt.status is AttemptStatus.TERMINATED
    assert (result.status, result.score, result.max_score) == (AttemptStatus.TERMINATED, 4, 6)
    assert (result.answered, result.correct) == (3, 2)
    assert result.finished_at == T0 + 10 * MIN
    assert result.time_taken_seconds == 600
    event = attempt.pending_events[-1]
    assert event.kind is EventKind.TERMINATED
    assert event.data == {"score": 4, "max_score": 6, "reason": "phone in the room"}


def test_a_terminated_attempt_takes_no_more_answers_nor_a_second_end() -> None:
    attempt = start()
    attempt.terminate(EXAM, reason="left the room", now=T0 + MIN)
    with pytest.raises(AttemptAlreadyFinal):
        attempt.save_answer(EXAM.question("q1"), "A", now=T0 + 2 * MIN, network_grace=NETWORK)
    with pytest.raises(AttemptAlreadyFinal):
        attempt.terminate(EXAM, reason="again", now=T0 + 2 * MIN)
    with pytest.raises(AttemptAlreadyFinal):
        attempt.extend(MIN, reason="too late", now=T0 + 2 * MIN)
    assert attempt.submit(EXAM, T0 + 3 * MIN).status is AttemptStatus.TERMINATED


def test_terminating_a_paused_attempt_counts_only_working_time() -> None:
    attempt = start()
    attempt.pause(reason="check", now=T0 + 5 * MIN)
    result = attempt.terminate(EXAM, reason="left", now=T0 + 20 * MIN)
    assert result.time_taken_seconds == 300
    assert not attempt.timer.is_paused


def test_terminating_in_the_submission_grace_finishes_at_the_deadline() -> None:
    attempt = start()
    result = attempt.terminate(EXAM, reason="late", now=DEADLINE + GRACE / 2)
    assert result.finished_at == DEADLINE
    assert result.time_taken_seconds == 30 * 60


def test_reopen_runs_again_until_now_plus_the_time_given() -> None:
    attempt = answered()
    attempt.submit(EXAM, T0 + 10 * MIN)
    attempt.reopen(5 * MIN, reason="wrong button", now=T0 + 40 * MIN)
    assert attempt.status is AttemptStatus.IN_PROGRESS
    assert attempt.result is None
    assert attempt.timer.deadline == T0 + 45 * MIN
    assert attempt.answers == {"q1": "A", "q2": "C", "q3": "C"}
    event = attempt.pending_events[-1]
    assert event.kind is EventKind.REOPENED
    assert event.data["previous_status"] == "submitted"
    assert event.data["previous_score"] == 4


def test_reopen_is_only_for_a_final_attempt_and_some_time() -> None:
    with pytest.raises(AttemptNotFinal):
        start().reopen(MIN, reason="x", now=T0)
    attempt = start()
    attempt.terminate(EXAM, reason="x", now=T0 + MIN)
    with pytest.raises(InvalidExtension):
        attempt.reopen(timedelta(0), reason="x", now=T0 + 2 * MIN)
