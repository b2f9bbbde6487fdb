"""Admin changes to an attempt in progress: extensions, accommodations, pauses; all audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from domain.attempt import Attempt
from domain.errors import (
    AttemptAlreadyFinal,
    AttemptNotPaused,
    AttemptPaused,
    InvalidAccommodation,
    InvalidExtension,
)
from domain.events import EventKind
from tests.fakes.clock import T0
from tests.unit.domain.attempts import DEADLINE, EXAM, GRACE, MIN, NETWORK, save, start


def submitted() -> Attempt:
    attempt = start()
    attempt.submit(EXAM, T0 + MIN)
    return attempt


def expired() -> Attempt:
    attempt = start()
    attempt.expire(EXAM, DEADLINE + GRACE, NETWORK)
    return attempt


FINAL = [submitted, expired]


class TestExtend:
    def test_moves_the_deadline_and_is_audited(self) -> None:
        attempt = start()
        attempt.extend(10 * MIN, reason="scanner broke", now=T0 + 5 * MIN)
        assert attempt.timer.deadline == DEADLINE + 10 * MIN
        assert attempt.version == 1
        event = attempt.pending_events[-1]
        assert (event.kind, event.at, event.version) == (EventKind.TIME_EXTENDED, T0 + 5 * MIN, 1)
        assert event.data == {
            "seconds": 600.0,
            "reason": "scanner broke",
            "deadline": (DEADLINE + 10 * MIN).isoformat(),
        }

    def test_lets_answers_in_after_the_old_deadline(self) -> None:
        attempt = start()
        attempt.extend(10 * MIN, reason="late start", now=T0)
        assert save(attempt, "q1", "A", DEADLINE + 5 * MIN) == 2

    @pytest.mark.parametrize("by", [timedelta(0), -timedelta(days=8)])
    def test_refuses_zero_or_more_than_a_week_away(self, by: timedelta) -> None:
        attempt = start()
        with pytest.raises(InvalidExtension):
            attempt.extend(by, reason="why not", now=T0)
        assert attempt.version == 0

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_needs_a_reason(self, reason: str) -> None:
        attempt = start()
        with pytest.raises(InvalidExtension):
            attempt.extend(MIN, reason=reason, now=T0)
        assert attempt.timer.deadline == DEADLINE

    @pytest.mark.parametrize("final", FINAL)
    def test_refused_on_a_final_attempt(self, final: Callable[[], Attempt]) -> None:
        with pytest.raises(AttemptAlreadyFinal):
            final().extend(MIN, reason="too late", now=DEADLINE + GRACE)


class TestAccommodate:
    def test_recomputes_the_deadline_and_is_audited(self) -> None:
        attempt = start()
        attempt.accommodate(
            time_multiplier=1.5, extra_time=5 * MIN, reason="dyslexia", now=T0 + MIN
        )
        assert attempt.timer.deadline == T0 + 50 * MIN
        event = attempt.pending_events[-1]
        assert (event.kind, event.version) == (EventKind.ACCOMMODATED, 1)
        assert event.data == {
            "time_multiplier": 1.5,
            "extra_seconds": 300.0,
            "reason": "dyslexia",
            "deadline": (T0 + 50 * MIN).isoformat(),
        }

    def test_refuses_less_than_standard_time(self) -> None:
        attempt = start()
        with pytest.raises(InvalidAccommodation):
            attempt.accommodate(time_multiplier=0.5, extra_time=MIN, reason="x", now=T0)
        assert attempt.version == 0

    def test_never_shortens_an_attempt_in_progress(self) -> None:
        attempt = start()
        attempt.accommodate(time_multiplier=2.0, extra_time=MIN, reason="x", now=T0 + MIN)
        deadline = attempt.timer.deadline
        with pytest.raises(InvalidAccommodation, match="later attempts"):
            attempt.accommodate(time_multiplier=1.0, extra_time=MIN, reason="y", now=T0 + 40 * MIN)
        assert (attempt.timer.deadline, attempt.version) == (deadline, 1)

    @pytest.mark.parametrize("final", FINAL)
    def test_refused_on_a_final_attempt(self, final: Callable[[], Attempt]) -> None:
        with pytest.raises(AttemptAlreadyFinal):
            final().accommodate(time_multiplier=2, extra_time=MIN, reason="x", now=DEADLINE)


class TestPause:
    def test_freezes_the_attempt_and_is_audited(self) -> None:
        attempt = start()
        attempt.pause(reason="fire alarm", now=T0 + 10 * MIN)
        assert attempt.timer.is_paused
        assert attempt.timer.remaining(T0 + 40 * MIN) == 20 * MIN
        event = attempt.pending_events[-1]
        assert (event.kind, event.version, event.data) == (
            EventKind.PAUSED,
            1,
            {"reason": "fire alarm"},
        )

    def test_unpause_moves_the_deadline_by_the_paused_time(self) -> None:
        attempt = start()
        attempt.pause(reason="fire alarm", now=T0 + 10 * MIN)
        attempt.unpause(T0 + 25 * MIN)
        assert not attempt.timer.is_paused
        assert attempt.timer.deadline == DEADLINE + 15 * MIN
        event = attempt.pending_events[-1]
        assert (event.kind, event.version) == (EventKind.UNPAUSED, 2)
        assert event.data == {"deadline": (DEADLINE + 15 * MIN).isoformat()}

    def test_pausing_twice_is_refused(self) -> None:
        attempt = start()
        attempt.pause(reason="a", now=T0)
        with pytest.raises(AttemptPaused):
            attempt.pause(reason="b", now=T0 + MIN)
        assert attempt.version == 1

    def test_unpausing_a_running_attempt_is_refused(self) -> None:
        with pytest.raises(AttemptNotPaused):
            start().unpause(T0 + MIN)

    @pytest.mark.parametrize("final", FINAL)
    def test_pause_refused_on_a_final_attempt(self, final: Callable[[], Attempt]) -> None:
        with pytest.raises(AttemptAlreadyFinal):
            final().pause(reason="x", now=DEADLINE + GRACE)

    @pytest.mark.parametrize("final", FINAL)
    def test_unpause_refused_on_a_final_attempt(self, final: Callable[[], Attempt]) -> None:
        with pytest.raises(AttemptAlreadyFinal):
            final().unpause(DEADLINE + GRACE)


def test_a_resumed_visit_is_audited_without_a_version_bump() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    attempt.record_resumed(T0 + 2 * MIN)
    event = attempt.pending_events[-1]
    assert (event.kind, event.at, event.version) == (EventKind.RESUMED, T0 + 2 * MIN, 1)
    assert attempt.version == 1


def test_with_version_is_the_stored_attempt_without_pending_events() -> None:
    attempt = start()
    save(attempt, "q1", "A", T0 + MIN)
    stored = attempt.with_version(7)
    assert (stored.id, stored.timer, stored.answers, stored.version) == (
        attempt.id,
        attempt.timer,
        {"q1": "A"},
        7,
    )
    assert stored.pending_events == []
    assert attempt.version == 1
