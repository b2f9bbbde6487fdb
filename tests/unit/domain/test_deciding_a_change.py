"""Deciding a change without making it: the live copy and the durable attempt."""

from __future__ import annotations

from dataclasses import fields
from uuid import uuid4

import pytest

from domain.attempt import Attempt, LiveAttempt
from domain.errors import AttemptPaused, TimeIsUp, VersionConflict
from domain.events import EventKind
from tests.fakes.builders import make_adaptive_exam
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, MIN, NETWORK, SEC, save, start


def test_deciding_an_answer_changes_nothing() -> None:
    attempt = start()
    change = attempt.answer_change(
        EXAM.question("q1"), "B", now=T0 + MIN, network_grace=NETWORK, expected_version=0
    )
    assert (attempt.answers, attempt.version, attempt.pending_events[-1].kind) == (
        {},
        0,
        EventKind.STARTED,
    )
    assert (change.question_id, change.response, change.expected_version) == ("q1", "B", 0)
    assert (change.event.kind, change.event.version) == (EventKind.ANSWER_SAVED, 1)


def test_the_decided_change_carries_no_late_mark_and_applying_it_decides_one() -> None:
    attempt = start()
    change = attempt.answer_change(
        EXAM.question("q1"), "B", now=DEADLINE + SEC, network_grace=NETWORK
    )
    assert "late" not in change.event.data
    applied = attempt.apply_answer(change)
    assert applied.event.data["late"] is True
    assert attempt.answers == {"q1": "B"}


def test_the_durable_attempt_checks_the_version_itself() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    with pytest.raises(VersionConflict) as raised:
        attempt.answer_change(
            EXAM.question("q2"), "B", now=T0 + MIN, network_grace=NETWORK, expected_version=0
        )
    assert raised.value.current_version == 1


def test_a_live_copy_leaves_the_version_to_storage_but_keeps_every_other_rule() -> None:
    attempt = start()
    live = attempt.live()
    save(attempt, "q1", "A", T0 + MIN)  # saves do not reach the live copy's version
    change = live.answer_change(
        EXAM.question("q2"), "B", now=T0 + MIN, network_grace=NETWORK, expected_version=1
    )
    assert change.expected_version == 1  # storage compares it with the version it holds
    with pytest.raises(TimeIsUp):
        live.answer_change(EXAM.question("q2"), "B", now=DEADLINE + NETWORK, network_grace=NETWORK)
    attempt.pause(reason="fire alarm", now=T0 + 2 * MIN)
    with pytest.raises(AttemptPaused):
        attempt.live().answer_change(
            EXAM.question("q2"), "B", now=T0 + 2 * MIN, network_grace=NETWORK
        )


def test_a_live_copy_has_no_answer_sheet_to_score() -> None:
    live = start().live()
    assert type(live) is LiveAttempt
    assert not isinstance(live, Attempt)
    assert not hasattr(live, "answers")
    assert not hasattr(live, "submit")


def test_a_live_copy_keeps_every_field_of_the_standing_in_a_copy_of_its_own() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    attempt.pause(reason="fire alarm", now=T0 + 2 * MIN)
    live = attempt.live()
    for field in fields(LiveAttempt):
        assert getattr(live, field.name) == getattr(attempt, field.name), field.name
    again = live.live()  # a live copy of a live copy, e.g. handed to each reader of a cache
    again.version = 99
    assert (type(again), live.version) == (LiveAttempt, 2)


def test_deciding_a_response_changes_nothing_and_applying_it_appends_it() -> None:
    exam = make_adaptive_exam()
    attempt = Attempt.start(attempt_id=uuid4(), exam=exam, candidate_id="alice", now=T0)
    item = exam.question("q1")
    change = attempt.response_change(
        "q1", "A", administered=item, now=T0 + MIN, network_grace=NETWORK
    )
    assert (attempt.responses, attempt.answers, attempt.version) == ((), {}, 0)
    assert "late" not in change.event.data
    attempt.apply_response(change)
    assert (attempt.responses, attempt.answers, attempt.version) == (
        (change.response,),
        {"q1": "A"},
        1,
    )
