"""Adaptive responses on the attempt, adaptive scoring, and the exam's engine."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.adaptive.exam_engine import (
    ability_of,
    attempt_seed,
    engine_for,
    exam_seed,
    replay_responses,
)
from domain.attempt import Attempt
from domain.errors import (
    AttemptAlreadySubmitted,
    AttemptPaused,
    InvalidOption,
    ItemNotAdministered,
    TimeIsUp,
    VersionConflict,
    WrongExamMode,
)
from domain.events import EventKind
from domain.exam import ExamMode
from domain.responses import Response
from domain.result import AbilityEstimate, AttemptStatus
from tests.fakes.builders import make_adaptive_exam, make_exam
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, GRACE, MIN, NETWORK, SEC

ADAPTIVE = make_adaptive_exam(items=8, max_items=4)


def begin() -> Attempt:
    return Attempt.start(attempt_id=uuid4(), exam=ADAPTIVE, candidate_id="alice", now=T0)


def respond(attempt: Attempt, item_id: str, option: str, expected: int | None = None) -> None:
    item = ADAPTIVE.question(item_id)
    attempt.record_response(
        item_id,
        option,
        administered=item,
        now=T0 + MIN,
        network_grace=NETWORK,
        expected_version=expected,
    )


def test_a_response_is_recorded_as_answer_and_audited_without_the_key() -> None:
    attempt = begin()
    item = ADAPTIVE.question("q3")
    change = attempt.record_response(
        "q3", "B", administered=item, now=T0 + MIN, network_grace=NETWORK
    )
    assert change.response == Response(item_id="q3", option="B", correct=False)
    assert attempt.responses == (change.response,)
    assert attempt.answers == {"q3": "B"}
    assert attempt.version == 1
    event = attempt.pending_events[-1]
    assert (event.kind, event.version) == (EventKind.RESPONSE_RECORDED, 1)
    assert event.data == {"item_id": "q3", "option": "B", "correct": False}
    assert "A" not in event.data.values()


def test_only_the_administered_item_takes_a_response() -> None:
    attempt = begin()
    with pytest.raises(ItemNotAdministered):
        attempt.record_response(
            "q2", "A", administered=ADAPTIVE.question("q3"), now=T0, network_grace=NETWORK
        )
    with pytest.raises(ItemNotAdministered):
        attempt.record_response("q2", "A", administered=None, now=T0, network_grace=NETWORK)
    assert attempt.version == 0


def test_refusals_follow_the_answer_rules() -> None:
    attempt = begin()
    with pytest.raises(InvalidOption):
        respond(attempt, "q1", "Z")
    with pytest.raises(VersionConflict):
        respond(attempt, "q1", "A", expected=3)
    item = ADAPTIVE.question("q1")
    late = DEADLINE + NETWORK
    with pytest.raises(TimeIsUp):
        attempt.record_response("q1", "A", administered=item, now=late, network_grace=NETWORK)
    attempt.pause(reason="alarm", now=T0 + MIN)
    with pytest.raises(AttemptPaused):
        respond(attempt, "q1", "A")


def test_a_fixed_attempt_takes_no_responses_and_serves_no_items() -> None:
    attempt = Attempt.start(attempt_id=uuid4(), exam=EXAM, candidate_id="alice", now=T0)
    with pytest.raises(WrongExamMode):
        attempt.record_response(
            "q1", "A", administered=EXAM.question("q1"), now=T0, network_grace=NETWORK
        )
    with pytest.raises(WrongExamMode):
        attempt.ensure_serves_items(T0, NETWORK)


def test_items_are_served_until_the_answers_close() -> None:
    attempt = begin()
    attempt.ensure_serves_items(DEADLINE + NETWORK - SEC, NETWORK)
    with pytest.raises(TimeIsUp):
        attempt.ensure_serves_items(DEADLINE + NETWORK, NETWORK)
    attempt.submit(ADAPTIVE, T0 + MIN)
    with pytest.raises(AttemptAlreadySubmitted):
        attempt.ensure_serves_items(T0 + MIN, NETWORK)


def test_an_adaptive_result_scores_the_administered_items_and_carries_the_ability() -> None:
    attempt = begin()
    respond(attempt, "q1", "A")
    respond(attempt, "q2", "B")
    ability = AbilityEstimate(theta=0.4, se=0.7)
    result = attempt.submit(ADAPTIVE, T0 + 2 * MIN, ability)
    assert (result.score, result.max_score, result.answered, result.correct) == (1, 2, 2, 1)
    assert (result.theta, result.se) == (0.4, 0.7)


def test_an_expired_adaptive_attempt_keeps_its_ability() -> None:
    attempt = begin()
    respond(attempt, "q1", "A")
    result = attempt.expire(ADAPTIVE, DEADLINE + GRACE, NETWORK, AbilityEstimate(theta=1, se=0.9))
    assert result.status is AttemptStatus.EXPIRED
    assert (result.max_score, result.theta, result.se) == (1, 1, 0.9)


def test_a_fixed_result_has_no_ability() -> None:
    attempt = Attempt.start(attempt_id=uuid4(), exam=EXAM, candidate_id="alice", now=T0)
    result = attempt.submit(EXAM, T0 + MIN)
    assert (result.theta, result.se, result.max_score) == (None, None, 6)


class TestExamEngine:
    def test_seeds_are_stable_and_in_range(self) -> None:
        exam_id = uuid4()
        assert exam_seed(exam_id) == exam_seed(exam_id)
        assert 0 <= exam_seed(exam_id) < 2**63
        assert 0 <= attempt_seed(exam_id) < 2**64
        assert attempt_seed(uuid4()) != attempt_seed(uuid4())

    def test_the_bank_is_the_exam_and_the_settings_its_rules(self) -> None:
        engine = engine_for(ADAPTIVE)
        assert engine.bank.item_ids == tuple(q.id for q in ADAPTIVE.questions)
        assert engine.settings.max_items == 4
        assert engine.settings.estimator == "eap"
        assert engine.settings.seed == exam_seed(ADAPTIVE.id)

    def test_a_fixed_exam_has_no_engine(self) -> None:
        with pytest.raises(WrongExamMode):
            engine_for(make_exam(mode=ExamMode.FIXED))

    def test_replaying_responses_gives_the_same_state_as_recording_them(self) -> None:
        engine, attempt_id = engine_for(ADAPTIVE), uuid4()
        state = engine.start(attempt_seed(attempt_id))
        responses = []
        for correct in (True, False, True):
            index = engine.next_item(state)
            assert index is not None
            state = engine.record(state, index, correct)
            item_id = engine.bank.item_ids[index]
            responses.append(Response(item_id=item_id, option="A", correct=correct))
        replayed = replay_responses(engine_for(ADAPTIVE), attempt_id, responses)
        assert replayed == state
        assert ability_of(replayed) == AbilityEstimate(theta=state.theta, se=state.se)
