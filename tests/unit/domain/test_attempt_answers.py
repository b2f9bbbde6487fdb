"""Saving and clearing answers: versions, audit events and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import (
    AttemptAlreadySubmitted,
    AttemptPaused,
    InvalidOption,
    TimeIsUp,
    VersionConflict,
)
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, GRACE, MIN, NETWORK, SEC, save, start


def test_a_save_bumps_the_version_and_records_an_event() -> None:
    attempt = start()
    change = attempt.save_answer(EXAM.question("q1"), "B", now=T0 + MIN, network_grace=NETWORK)
    assert attempt.answers == {"q1": "B"}
    assert attempt.version == 1
    event = attempt.pending_events[-1]
    assert (event.kind, event.at, event.version) == (EventKind.ANSWER_SAVED, T0 + MIN, 1)
    assert event.data == {"question_id": "q1", "option": "B"}
    assert change.event == event
    assert (change.attempt_id, change.question_id, change.response) == (attempt.id, "q1", "B")
    assert change.expected_version is None


def test_changing_an_answer_replaces_it() -> None:
    attempt = start()
    save(attempt, "q1", "B", T0 + MIN)
    assert save(attempt, "q1", "C", T0 + 2 * MIN) == 2
    assert attempt.answers == {"q1": "C"}


def test_a_clear_removes_the_answer_and_is_a_change() -> None:
    attempt = start()
    save(attempt, "q1", "B", T0 + MIN)
    change = attempt.clear_answer(EXAM.question("q1"), now=T0 + 2 * MIN, network_grace=NETWORK)
    assert attempt.answers == {}
    assert attempt.version == 2
    assert change.response is None
    assert change.event.kind is EventKind.ANSWER_CLEARED
    assert change.event.data == {"question_id": "q1"}


def test_clearing_an_unanswered_question_still_counts() -> None:
    attempt = start()
    attempt.clear_answer(EXAM.question("q2"), now=T0 + MIN, network_grace=NETWORK)
    assert attempt.version == 1


def test_an_answer_in_the_network_grace_is_accepted_and_marked_late() -> None:
    attempt = start()
    change = attempt.save_answer(
        EXAM.question("q1"), "A", now=DEADLINE + SEC, network_grace=NETWORK
    )
    assert change.event.data["late"] is True
    assert attempt.answers == {"q1": "A"}


def test_an_answer_before_the_deadline_is_not_late() -> None:
    attempt = start()
    change = attempt.save_answer(
        EXAM.question("q1"), "A", now=DEADLINE - SEC, network_grace=NETWORK
    )
    assert "late" not in change.event.data


@pytest.mark.parametrize("after", [NETWORK, NETWORK + SEC, GRACE])
def test_time_is_up_from_deadline_plus_network_grace(after: timedelta) -> None:
    attempt = start()
    with pytest.raises(TimeIsUp) as raised:
        save(attempt, "q1", "A", DEADLINE + after)
    assert raised.value.result is None
    assert attempt.version == 0
    assert len(attempt.pending_events) == 1


def test_an_unknown_option_is_refused_without_a_change() -> None:
    attempt = start()
    with pytest.raises(InvalidOption):
        save(attempt, "q1", "Z", T0 + MIN)
    assert (attempt.version, attempt.answers) == (0, {})


def test_a_submitted_attempt_takes_no_answers() -> None:
    attempt = start()
    attempt.submit(EXAM, T0 + MIN)
    with pytest.raises(AttemptAlreadySubmitted):
        save(attempt, "q1", "A", T0 + 2 * MIN)
    with pytest.raises(AttemptAlreadySubmitted):
        attempt.clear_answer(EXAM.question("q1"), now=T0 + 2 * MIN, network_grace=NETWORK)


def test_an_expired_attempt_answers_time_is_up_with_its_result() -> None:
    attempt = start()
    result = attempt.expire(EXAM, DEADLINE + GRACE, NETWORK)
    with pytest.raises(TimeIsUp) as raised:
        save(attempt, "q1", "A", DEADLINE + GRACE)
    assert raised.value.result is result


def test_a_paused_attempt_takes_no_answers() -> None:
    attempt = start()
    attempt.pause(reason="fire alarm", now=T0 + MIN)
    with pytest.raises(AttemptPaused):
        save(attempt, "q1", "A", T0 + 2 * MIN)


def test_a_stale_expected_version_conflicts_with_the_current_one() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    with pytest.raises(VersionConflict) as raised:
        save(attempt, "q2", "B", T0 + 2 * MIN, expected_version=0)
    assert raised.value.current_version == 1
    assert attempt.answers == {"q1": "A"}


def test_the_current_expected_version_is_accepted_and_carried() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    change = attempt.save_answer(
        EXAM.question("q2"), "B", now=T0 + 2 * MIN, network_grace=NETWORK, expected_version=1
    )
    assert change.expected_version == 1
    assert attempt.version == 2


def test_without_expected_version_the_last_writer_wins() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    assert save(attempt, "q1", "B", T0 + 2 * MIN) == 2
    assert attempt.status is AttemptStatus.IN_PROGRESS
