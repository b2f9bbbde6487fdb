"""Properties of the timer, the answer sheet and scoring, over generated cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import AttemptPaused, TimeIsUp, VersionConflict
from domain.exam import Exam
from domain.timer import ZERO, Timer
from tests.fakes.builders import make_exam, make_question
from tests.fakes.clock import T0
from tests.unit.domain.attempts import EXAM, NETWORK, start

HOUR = 3600


def seconds(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda n: timedelta(seconds=n))


def moments(low: int = -HOUR, high: int = 12 * HOUR) -> st.SearchStrategy[datetime]:
    return st.integers(low * 1000, high * 1000).map(lambda ms: T0 + timedelta(milliseconds=ms))


@st.composite
def timers(draw: st.DrawFn) -> Timer:
    return Timer(
        started_at=T0,
        duration=draw(seconds(1, 3 * HOUR)),
        time_multiplier=draw(st.sampled_from([1.0, 1.25, 1.5, 2.0])),
        extra_time=draw(seconds(0, HOUR)),
        extensions=draw(seconds(0, HOUR)),
        paused_for=draw(seconds(0, HOUR)),
        paused_at=draw(st.none() | moments(0, 6 * HOUR)),
        closes_at=draw(st.none() | moments(1, 6 * HOUR)),
        grace=draw(seconds(0, 600)),
    )


@given(timers(), moments())
def test_remaining_time_is_never_negative(timer: Timer, now: datetime) -> None:
    assert timer.remaining(now) >= ZERO


@given(timers(), moments(), seconds(0, 6 * HOUR))
def test_remaining_time_never_grows_by_itself(
    timer: Timer, now: datetime, later: timedelta
) -> None:
    assert timer.remaining(now + later) <= timer.remaining(now)


@given(timers(), seconds(0, 10), seconds(0, 6 * HOUR))
def test_no_answer_at_or_after_deadline_plus_network_grace(
    timer: Timer, network_grace: timedelta, after: timedelta
) -> None:
    assert not timer.accepts_answers(timer.deadline + network_grace + after, network_grace)


@given(seconds(0, 6 * HOUR))
def test_an_attempt_refuses_answers_from_deadline_plus_network_grace(after: timedelta) -> None:
    attempt = start()
    when = attempt.timer.deadline + NETWORK + after
    with pytest.raises(TimeIsUp):
        attempt.save_answer(EXAM.question("q1"), "A", now=when, network_grace=NETWORK)
    assert attempt.version == 0
    assert attempt.answers == {}


@given(timers(), moments(), seconds(0, 10))
def test_is_overdue_exactly_from_overdue_at_on(
    timer: Timer, now: datetime, network_grace: timedelta
) -> None:
    overdue_at = timer.overdue_at(network_grace)
    assert timer.is_overdue(now, network_grace) == (overdue_at is not None and now >= overdue_at)
    if overdue_at is not None:
        assert timer.is_overdue(overdue_at, network_grace)
        assert not timer.is_overdue(overdue_at - timedelta(microseconds=1), network_grace)
        # Once overdue nothing is accepted, so expiring it can never drop a valid request.
        assert not timer.accepts_answers(overdue_at, network_grace)
        assert not timer.accepts_submission(overdue_at)


QUESTION_IDS = [question.id for question in EXAM.questions]
changes = st.tuples(
    st.sampled_from(QUESTION_IDS),
    st.none() | st.sampled_from(["A", "B", "C", "D"]),
    st.sampled_from(["none", "current", "stale"]),
    st.booleans(),
)


@given(st.lists(changes, max_size=30))
def test_version_counts_the_accepted_changes(
    steps: list[tuple[str, str | None, str, bool]],
) -> None:
    attempt = start()
    accepted = 0
    sheet: dict[str, str] = {}
    for n, (question_id, option, expectation, toggle_pause) in enumerate(steps):
        now = T0 + timedelta(seconds=n)
        if toggle_pause:
            if attempt.timer.is_paused:
                attempt.unpause(now)
            else:
                attempt.pause(reason="proctor", now=now)
            accepted += 1
        expected = {"none": None, "current": attempt.version, "stale": attempt.version - 1}
        question = EXAM.question(question_id)
        try:
            if option is None:
                attempt.clear_answer(
                    question,
                    now=now,
                    network_grace=NETWORK,
                    expected_version=expected[expectation],
                )
                sheet.pop(question_id, None)
            else:
                attempt.save_answer(
                    question,
                    option,
                    now=now,
                    network_grace=NETWORK,
                    expected_version=expected[expectation],
                )
                sheet[question_id] = option
        except (VersionConflict, AttemptPaused):
            assert expectation == "stale" or attempt.timer.is_paused
            continue
        accepted += 1
    assert attempt.version == accepted
    assert attempt.answers == sheet
    assert [event.version for event in attempt.pending_events] == list(range(accepted + 1))


@st.composite
def exams_and_sheets(draw: st.DrawFn) -> tuple[Exam, dict[str, str]]:
    count = draw(st.integers(1, 8))
    questions = tuple(
        make_question(
            f"q{n}",
            correct_key=draw(st.sampled_from("ABCD")),
            points=draw(st.integers(1, 40)) / 4,  # quarters add up exactly
        )
        for n in range(count)
    )
    ids = [*(question.id for question in questions), "stray"]
    sheet = draw(st.dictionaries(st.sampled_from(ids), st.sampled_from("ABCDX")))
    return make_exam(questions=questions), sheet


@given(exams_and_sheets())
def test_score_is_between_zero_and_max_score(case: tuple[Exam, dict[str, str]]) -> None:
    exam, sheet = case
    score = exam.score(sheet)
    assert 0 <= score.score <= score.max_score
    assert 0 <= score.correct <= score.answered <= len(exam.questions)
