"""Timer: the deadline formula and every question asked of it, at constructed moments."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.errors import AttemptNotPaused, AttemptPaused, InvalidAccommodation, InvalidExtension
from domain.timer import ZERO, Timer
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
NETWORK = timedelta(seconds=2)

HOUR = 60 * MIN


def make_timer(**overrides: object) -> Timer:
    fields: dict[str, object] = {"started_at": T0, "duration": 30 * MIN}
    fields.update(overrides)
    return Timer(**fields)  # type: ignore[arg-type]


class TestDeadline:
    def test_is_start_plus_duration(self) -> None:
        assert make_timer().deadline == T0 + 30 * MIN

    def test_multiplies_the_duration_only(self) -> None:
        timer = make_timer(time_multiplier=1.5, extra_time=5 * MIN)
        assert timer.deadline == T0 + 45 * MIN + 5 * MIN

    def test_adds_extra_time_extensions_and_paused_time(self) -> None:
        timer = make_timer(extra_time=5 * MIN, extensions=3 * MIN, paused_for=2 * MIN)
        assert timer.deadline == T0 + 40 * MIN

    def test_is_capped_by_closes_at(self) -> None:
        timer = make_timer(closes_at=T0 + 10 * MIN, extensions=60 * MIN)
        assert timer.deadline == T0 + 10 * MIN

    def test_a_later_close_does_not_matter(self) -> None:
        assert make_timer(closes_at=T0 + 60 * MIN).deadline == T0 + 30 * MIN

    def test_allotted_is_the_working_time_before_the_cap(self) -> None:
        timer = make_timer(time_multiplier=2, extra_time=MIN, extensions=MIN, closes_at=T0 + MIN)
        assert timer.allotted == 62 * MIN


class TestRemaining:
    def test_counts_down_to_the_deadline(self) -> None:
        timer = make_timer()
        assert timer.remaining(T0) == 30 * MIN
        assert timer.remaining(T0 + 12 * MIN) == 18 * MIN
        assert timer.remaining(T0 + 30 * MIN) == ZERO

    def test_is_never_negative(self) -> None:
        assert make_timer().remaining(T0 + 5 * 60 * MIN) == ZERO

    def test_is_frozen_while_paused(self) -> None:
        timer = make_timer().pause(T0 + 10 * MIN)
        assert timer.remaining(T0 + 10 * MIN) == 20 * MIN
        assert timer.remaining(T0 + 50 * MIN) == 20 * MIN

    def test_a_running_pause_moves_the_seen_deadline_not_the_stored_one(self) -> None:
        timer = make_timer().pause(T0 + 10 * MIN)
        assert timer.deadline_at(T0 + 25 * MIN) == T0 + 45 * MIN
        assert timer.deadline == T0 + 30 * MIN

    def test_a_pause_cannot_push_past_closes_at(self) -> None:
        timer = make_timer(closes_at=T0 + 40 * MIN).pause(T0 + 10 * MIN)
        assert timer.deadline_at(T0 + 30 * MIN) == T0 + 40 * MIN
        assert timer.remaining(T0 + 30 * MIN) == 10 * MIN
        assert timer.remaining(T0 + 41 * MIN) == ZERO


class TestAnswers:
    def test_accepted_before_the_deadline(self) -> None:
        assert make_timer().accepts_answers(T0 + 30 * MIN - SEC)

    def test_refused_at_the_deadline_without_network_grace(self) -> None:
        assert not make_timer().accepts_answers(T0 + 30 * MIN)

    def test_network_grace_accepts_answers_just_after_the_deadline(self) -> None:
        timer = make_timer()
        assert timer.accepts_answers(T0 + 30 * MIN + SEC, NETWORK)
        assert not timer.accepts_answers(T0 + 30 * MIN + NETWORK, NETWORK)

    def test_submission_grace_does_not_extend_answers(self) -> None:
        assert not make_timer(grace=5 * MIN).accepts_answers(T0 + 31 * MIN, NETWORK)

    def test_refused_while_paused(self) -> None:
        assert not make_timer().pause(T0 + MIN).accepts_answers(T0 + 2 * MIN, NETWORK)

    def test_late_only_at_or_after_the_deadline(self) -> None:
        timer = make_timer()
        assert not timer.is_late_answer(T0 + 30 * MIN - SEC)
        assert timer.is_late_answer(T0 + 30 * MIN)
        assert timer.is_late_answer(T0 + 30 * MIN + SEC)


class TestSubmissionAndExpiry:
    def test_submission_accepted_within_grace(self) -> None:
        timer = make_timer(grace=30 * SEC)
        assert timer.accepts_submission(T0 + 30 * MIN + 29 * SEC)
        assert not timer.accepts_submission(T0 + 30 * MIN + 30 * SEC)

    def test_submission_refused_while_paused(self) -> None:
        assert not make_timer().pause(T0 + MIN).accepts_submission(T0 + 2 * MIN)

    @pytest.mark.parametrize(
        ("grace", "expected"),
        [(30 * SEC, 30 * SEC), (SEC, NETWORK), (ZERO, NETWORK)],
    )
    def test_finalises_after_the_longer_grace(self, grace: timedelta, expected: timedelta) -> None:
        assert make_timer(grace=grace).finalises_at(NETWORK) == T0 + 30 * MIN + expected

    def test_overdue_from_finalises_at_on(self) -> None:
        timer = make_timer(grace=30 * SEC)
        finalises = timer.finalises_at(NETWORK)
        assert not timer.is_overdue(finalises - timedelta(microseconds=1), NETWORK)
        assert timer.is_overdue(finalises, NETWORK)
        assert timer.is_overdue(finalises + 60 * MIN, NETWORK)

    def test_never_overdue_while_paused(self) -> None:
        timer = make_timer().pause(T0 + MIN)
        assert not timer.is_overdue(T0 + 10 * 60 * MIN, NETWORK)

    def test_a_paused_attempt_is_overdue_once_the_exam_window_closed(self) -> None:
        timer = make_timer(closes_at=T0 + 60 * MIN, grace=5 * SEC).pause(T0 + MIN)
        assert not timer.is_overdue(T0 + 60 * MIN + 4 * SEC, NETWORK)
        assert timer.is_overdue(T0 + 60 * MIN + 5 * SEC, NETWORK)


class TestOverdueAt:
    def test_a_running_attempt_is_due_at_deadline_plus_the_longer_grace(self) -> None:
        assert make_timer(grace=30 * SEC).overdue_at(NETWORK) == T0 + 30 * MIN + 30 * SEC
        assert make_timer(grace=SEC).overdue_at(NETWORK) == T0 + 30 * MIN + NETWORK
        assert make_timer().overdue_at() == T0 + 30 * MIN

    def test_follows_extensions_and_finished_pauses(self) -> None:
        timer = make_timer(extensions=5 * MIN).pause(T0 + MIN).resume(T0 + 3 * MIN)
        assert timer.overdue_at(NETWORK) == T0 + 37 * MIN + NETWORK

    def test_is_capped_by_the_window(self) -> None:
        timer = make_timer(closes_at=T0 + 10 * MIN, grace=5 * SEC)
        assert timer.overdue_at(NETWORK) == T0 + 10 * MIN + 5 * SEC

    def test_a_paused_attempt_without_window_end_is_never_due(self) -> None:
        assert make_timer().pause(T0 + MIN).overdue_at(NETWORK) is None

    def test_a_paused_attempt_is_due_when_the_window_closes(self) -> None:
        timer = make_timer(closes_at=T0 + 60 * MIN, grace=SEC).pause(T0 + MIN)
        assert timer.overdue_at(NETWORK) == T0 + 60 * MIN + NETWORK

    def test_matches_finalises_at_while_running(self) -> None:
        timer = make_timer(grace=10 * SEC, closes_at=T0 + 20 * MIN)
        assert timer.overdue_at(NETWORK) == timer.finalises_at(NETWORK)


class TestTimeUsed:
    def test_is_the_elapsed_working_time(self) -> None:
        assert make_timer().time_used(T0) == ZERO
        assert make_timer().time_used(T0 + 7 * MIN) == 7 * MIN

    def test_excludes_finished_pauses(self) -> None:
        timer = make_timer().pause(T0 + 5 * MIN).resume(T0 + 15 * MIN)
        assert timer.time_used(T0 + 20 * MIN) == 10 * MIN

    def test_excludes_a_running_pause(self) -> None:
        timer = make_timer().pause(T0 + 5 * MIN)
        assert timer.time_used(T0 + 20 * MIN) == 5 * MIN

    def test_stops_at_the_deadline(self) -> None:
        assert make_timer(grace=5 * MIN).time_used(T0 + 33 * MIN) == 30 * MIN

    def test_full_time_is_the_allotted_working_time(self) -> None:
        timer = make_timer(extra_time=5 * MIN).pause(T0 + MIN).resume(T0 + 11 * MIN)
        assert timer.full_time == 35 * MIN

    def test_full_time_is_cut_by_closes_at(self) -> None:
        assert make_timer(closes_at=T0 + 10 * MIN).full_time == 10 * MIN

    def test_full_time_is_never_negative(self) -> None:
        timer = make_timer(closes_at=T0 + 10 * MIN).pause(T0 + 5 * MIN).resume(T0 + 20 * MIN)
        assert timer.full_time == ZERO


class TestChanges:
    def test_extend_adds_to_the_deadline(self) -> None:
        timer = make_timer().extend(5 * MIN, T0).extend(MIN, T0)
        assert timer.extensions == 6 * MIN
        assert timer.deadline == T0 + 36 * MIN

    def test_extend_refuses_zero(self) -> None:
        with pytest.raises(InvalidExtension):
            make_timer().extend(ZERO, T0)

    def test_a_negative_extension_takes_time_away(self) -> None:
        timer = make_timer().extend(-10 * MIN, T0 + MIN)
        assert timer.extensions == -10 * MIN
        assert timer.deadline == T0 + 20 * MIN

    def test_time_taken_away_never_moves_the_deadline_before_now(self) -> None:
        now = T0 + 25 * MIN
        timer = make_timer()
        assert timer.time_taken_away(-HOUR, now) == 5 * MIN
        taken = timer.extend(-HOUR, now)
        assert taken.deadline == now
        assert taken.remaining(now) == ZERO

    def test_time_taken_away_from_a_paused_timer_is_what_was_left(self) -> None:
        paused = make_timer().pause(T0 + 10 * MIN)
        taken = paused.extend(-HOUR, T0 + 40 * MIN)
        assert taken.remaining(T0 + 50 * MIN) == ZERO
        assert taken.resume(T0 + 50 * MIN).deadline == T0 + 50 * MIN

    @pytest.mark.parametrize(
        "by", [timedelta.max, timedelta(days=7, seconds=1), -timedelta(days=7, seconds=1)]
    )
    def test_extend_refuses_more_than_a_week_at_a_time(self, by: timedelta) -> None:
        with pytest.raises(InvalidExtension, match="at most 7 days"):
            make_timer().extend(by, T0)

    def test_extend_by_a_whole_week_is_allowed(self) -> None:
        assert make_timer().extend(timedelta(days=7), T0).extensions == timedelta(days=7)

    def test_accommodate_refuses_a_deadline_past_the_calendar(self) -> None:
        with pytest.raises(InvalidAccommodation, match="too long"):
            make_timer().accommodate(time_multiplier=1e300, extra_time=ZERO)

    def test_accommodate_recomputes_the_deadline(self) -> None:
        timer = make_timer().accommodate(time_multiplier=1.5, extra_time=10 * MIN)
        assert timer.deadline == T0 + 55 * MIN

    @pytest.mark.parametrize(
        ("multiplier", "extra"), [(0.5, ZERO), (1.0, -SEC), (float("nan"), ZERO)]
    )
    def test_accommodate_refuses_less_time(self, multiplier: float, extra: timedelta) -> None:
        with pytest.raises(InvalidAccommodation):
            make_timer().accommodate(time_multiplier=multiplier, extra_time=extra)

    def test_pause_then_resume_moves_the_deadline_by_the_pause(self) -> None:
        paused = make_timer().pause(T0 + 5 * MIN)
        assert paused.is_paused
        resumed = paused.resume(T0 + 12 * MIN)
        assert not resumed.is_paused
        assert resumed.paused_for == 7 * MIN
        assert resumed.deadline == T0 + 37 * MIN

    def test_pause_twice_is_refused(self) -> None:
        with pytest.raises(AttemptPaused):
            make_timer().pause(T0).pause(T0 + MIN)

    def test_resume_when_running_is_refused(self) -> None:
        with pytest.raises(AttemptNotPaused):
            make_timer().resume(T0 + MIN)

    def test_changes_leave_the_original_alone(self) -> None:
        timer = make_timer()
        timer.extend(MIN, T0)
        timer.pause(T0)
        assert timer == make_timer()


class TestValidation:
    @pytest.mark.parametrize(
        "overrides",
        [
            {"started_at": datetime(2030, 1, 7, 9, 0)},
            {"duration": ZERO},
            {"duration": -MIN},
            {"time_multiplier": 0.9},
            {"time_multiplier": float("nan")},
            {"extra_time": -SEC},
            {"extensions": -31 * MIN},  # less than no working time at all
            {"paused_for": -SEC},
            {"grace": -SEC},
            {"paused_at": T0 - SEC},
        ],
        ids=lambda overrides: next(iter(overrides)),
    )
    def test_refuses_an_impossible_timer(self, overrides: dict[str, object]) -> None:
        with pytest.raises(ValueError):  # noqa: PT011 - a programming error, not a rule
            make_timer(**overrides)
