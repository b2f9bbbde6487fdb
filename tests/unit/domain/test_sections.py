"""Sections as the domain runs them: order, clocks, navigation, draws (fake clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.attempt import Attempt
from domain.errors import (
    AttemptPaused,
    DomainError,
    InvalidExamDefinition,
    QuestionLocked,
    SectionNotActive,
    UnknownQuestion,
)
from domain.exam import Exam
from domain.result import AttemptStatus
from domain.sections import Navigation, Section, SectionStatus
from tests.fakes.builders import make_exam, make_question
from tests.fakes.clock import T0, FakeClock

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
NETWORK = timedelta(seconds=2)

QUESTIONS = tuple(make_question(q, correct_key="A") for q in ("l1", "l2", "r1", "r2", "r3"))
SECTIONS = (
    Section(id="listening", question_ids=("l1", "l2"), duration=20 * MIN),
    Section(id="reading", question_ids=("r1", "r2", "r3"), navigation=Navigation.SEQUENTIAL),
)
EXAM = replace(make_exam(duration=60 * MIN, questions=QUESTIONS), sections=SECTIONS)


def start(exam: Exam = EXAM, *, multiplier: float = 1.0) -> Attempt:
    return Attempt.start(
        attempt_id=uuid4(), exam=exam, candidate_id="alice", now=T0, time_multiplier=multiplier
    )


def answer(attempt: Attempt, qid: str, clock: FakeClock) -> None:
    attempt.save_answer(EXAM.question(qid), "A", now=clock.now(), network_grace=NETWORK)


def section_remaining(attempt: Attempt, clock: FakeClock) -> timedelta:
    assert attempt.sections is not None
    current = attempt.sections.current
    assert current is not None
    return current.remaining(attempt.timer, clock.now())


def test_an_exam_without_sections_starts_an_attempt_without_any() -> None:
    attempt = start(make_exam())
    assert attempt.sections is None
    assert attempt.due_at(NETWORK) == attempt.timer.overdue_at(NETWORK)


def test_the_first_section_runs_from_the_start_with_its_own_clock() -> None:
    clock = FakeClock()
    attempt = start()
    assert attempt.sections is not None
    assert [run.status for run in attempt.sections.runs] == [
        SectionStatus.ACTIVE,
        SectionStatus.PENDING,
    ]
    clock.advance(5 * MIN)
    assert section_remaining(attempt, clock) == 15 * MIN
    assert attempt.due_at(NETWORK) == T0 + 20 * MIN + NETWORK


def test_answers_go_to_the_running_section_only() -> None:
    clock = FakeClock()
    attempt = start()
    answer(attempt, "l1", clock)
    with pytest.raises(SectionNotActive):
        answer(attempt, "r1", clock)
    attempt.finish_section(EXAM, "listening", now=clock.now(), network_grace=NETWORK)
    with pytest.raises(SectionNotActive):
        answer(attempt, "l2", clock)
    answer(attempt, "r1", clock)


def test_a_section_past_its_clock_refuses_answers_after_the_network_grace() -> None:
    clock = FakeClock()
    attempt = start()
    clock.advance(20 * MIN + SEC)
    answer(attempt, "l1", clock)  # inside the network grace
    clock.advance(2 * SEC)
    with pytest.raises(SectionNotActive):
        answer(attempt, "l2", clock)


def test_the_sweeper_finishes_a_timed_out_section_and_the_next_starts() -> None:
    clock = FakeClock()
    attempt = start()
    assert not attempt.section_overdue(clock.advance(20 * MIN + SEC), NETWORK)
    clock.advance(SEC)
    assert attempt.section_overdue(clock.now(), NETWORK)
    assert attempt.finish_overdue_section(EXAM, clock.now(), NETWORK) is None
    assert attempt.sections is not None
    current = attempt.sections.current
    assert current is not None
    assert current.id == "reading"
    assert current.entered_at == clock.now()
    assert attempt.pending_events[-1].data["by"] == "clock"
    # Untimed: the attempt's deadline is the one that applies.
    assert attempt.due_at(NETWORK) == attempt.timer.overdue_at(NETWORK)


def test_the_last_section_ending_by_its_clock_expires_the_attempt_with_its_answers() -> None:
    only = (Section(id="only", question_ids=("l1", "l2", "r1", "r2", "r3"), duration=MIN),)
    exam = replace(EXAM, sections=only)
    clock = FakeClock()
    attempt = start(exam)
    answer(attempt, "l1", clock)
    clock.advance(MIN + NETWORK)
    result = attempt.finish_overdue_section(exam, clock.now(), NETWORK)
    assert result is not None
    assert attempt.status is AttemptStatus.EXPIRED
    assert result.score == 1
    assert result.finished_at == T0 + MIN


def test_finishing_the_last_section_submits() -> None:
    clock = FakeClock()
    attempt = start()
    attempt.finish_section(EXAM, "listening", now=clock.now(), network_grace=NETWORK)
    result = attempt.finish_section(EXAM, "reading", now=clock.now(), network_grace=NETWORK)
    assert result is not None
    assert result.status is AttemptStatus.SUBMITTED


def test_only_the_running_section_can_be_finished() -> None:
    clock = FakeClock()
    attempt = start()
    with pytest.raises(SectionNotActive):
        attempt.finish_section(EXAM, "reading", now=clock.now(), network_grace=NETWORK)
    with pytest.raises(UnknownQuestion):
        attempt.finish_section(EXAM, "nope", now=clock.now(), network_grace=NETWORK)


def test_a_sequential_section_locks_the_question_left() -> None:
    clock = FakeClock()
    attempt = start()
    with pytest.raises(SectionNotActive):  # a free section has no next question
        attempt.move_on(now=clock.now(), network_grace=NETWORK)
    attempt.finish_section(EXAM, "listening", now=clock.now(), network_grace=NETWORK)
    with pytest.raises(QuestionLocked):
        answer(attempt, "r2", clock)  # not reached
    assert attempt.move_on(now=clock.now(), network_grace=NETWORK) == "r2"
    with pytest.raises(QuestionLocked):
        answer(attempt, "r1", clock)  # left behind
    answer(attempt, "r2", clock)
    assert attempt.move_on(now=clock.now(), network_grace=NETWORK) == "r3"
    with pytest.raises(SectionNotActive):  # the last question is left by finishing
        attempt.move_on(now=clock.now(), network_grace=NETWORK)


def test_a_paused_attempt_neither_finishes_nor_moves_on() -> None:
    clock = FakeClock()
    attempt = start()
    attempt.pause(reason="alarm", now=clock.now())
    with pytest.raises(AttemptPaused):
        attempt.finish_section(EXAM, "listening", now=clock.now(), network_grace=NETWORK)


def test_pause_freezes_the_section_clock_and_resume_keeps_what_was_left() -> None:
    clock = FakeClock()
    attempt = start()
    clock.advance(5 * MIN)
    attempt.pause(reason="alarm", now=clock.now())
    clock.advance(30 * MIN)
    assert section_remaining(attempt, clock) == 15 * MIN
    assert attempt.due_at(NETWORK) is None  # a frozen clock is due at no time
    attempt.unpause(clock.now())
    assert section_remaining(attempt, clock) == 15 * MIN


def test_an_extension_moves_the_running_timed_section_by_the_same_amount() -> None:
    clock = FakeClock()
    attempt = start()
    attempt.extend(10 * MIN, reason="disruption", now=clock.now())
    assert section_remaining(attempt, clock) == 30 * MIN
    attempt.extend(-5 * MIN, reason="typo", now=clock.now())
    assert section_remaining(attempt, clock) == 25 * MIN


def test_an_accommodation_multiplies_the_section_duration() -> None:
    assert section_remaining(start(multiplier=1.5), FakeClock()) == 30 * MIN


def test_a_section_never_ends_after_the_attempt() -> None:
    long = (
        Section(id="long", question_ids=("l1", "l2"), duration=120 * MIN),
        Section(id="rest", question_ids=("r1", "r2", "r3")),
    )
    attempt = start(replace(EXAM, sections=long))
    assert section_remaining(attempt, FakeClock()) == 60 * MIN
    assert attempt.due_at(NETWORK) == attempt.timer.overdue_at(NETWORK)


def test_draws_are_seeded_by_the_attempt() -> None:
    pool = tuple(f"p{i}" for i in range(20))
    exam = replace(
        make_exam(questions=tuple(make_question(q) for q in pool)),
        sections=(Section(id="drawn", question_ids=pool, draw_count=5, shuffle_questions=True),),
    )
    section = exam.sections[0]
    attempt_id = uuid4()
    assert section.form(attempt_id) == section.form(attempt_id)
    assert len(set(section.form(attempt_id))) == 5
    forms = {section.form(uuid4()) for _ in range(10)}
    assert len(forms) > 1
    attempt = Attempt.start(attempt_id=attempt_id, exam=exam, candidate_id="a", now=T0)
    assert attempt.given_questions() == section.form(attempt_id)


@pytest.mark.parametrize(
    "sections",
    [
        (Section(id="a", question_ids=("l1", "l2")),),  # r1..r3 in no section
        (Section(id="a", question_ids=("l1", "l2", "r1", "r2", "r3", "zz")),),
        (
            Section(id="a", question_ids=("l1", "l2", "r1")),
            Section(id="a", question_ids=("r2", "r3")),
        ),
        (
            Section(id="a", question_ids=("l1", "l2", "r1")),
            Section(id="b", question_ids=("r1", "r2", "r3")),
        ),
    ],
)
def test_sections_must_place_every_question_once(sections: tuple[Section, ...]) -> None:
    with pytest.raises(InvalidExamDefinition):
        replace(EXAM, sections=sections)


def test_a_section_refuses_a_draw_larger_than_its_pool() -> None:
    with pytest.raises(InvalidExamDefinition):
        Section(id="a", question_ids=("l1",), draw_count=2)


# --- properties ---------------------------------------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["wait", "wait", "pause", "resume", "extend", "finish", "answer"]),
        st.integers(1, 40 * 60),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(steps=STEPS, duration=st.integers(1, 90), multiplier=st.sampled_from([1.0, 1.5, 2.0]))
def test_a_section_clock_is_never_negative_never_beyond_the_attempt_and_grows_only_by_extension(
    steps: list[tuple[str, int]], duration: int, multiplier: float
) -> None:
    sections = (
        Section(id="s1", question_ids=("l1", "l2"), duration=duration * MIN),
        Section(id="s2", question_ids=("r1",), duration=timedelta(minutes=duration // 2 + 1)),
        Section(id="s3", question_ids=("r2", "r3")),
    )
    exam = replace(EXAM, sections=sections)
    clock = FakeClock()
    attempt = start(exam, multiplier=multiplier)
    before = _section_clock(attempt, clock)
    for action, seconds in steps:
        if attempt.is_final:
            break
        extended = False
        try:
            if action == "wait":
                clock.advance(seconds)
            elif action == "pause":
                attempt.pause(reason="p", now=clock.now())
            elif action == "resume":
                attempt.unpause(clock.now())
            elif action == "extend":
                attempt.extend(timedelta(seconds=seconds - 600), reason="x", now=clock.now())
                extended = True
            elif action == "finish" and attempt.sections and attempt.sections.current:
                current = attempt.sections.current.id
                attempt.finish_section(exam, current, now=clock.now(), network_grace=NETWORK)
            elif action == "answer" and attempt.sections and attempt.sections.current:
                qid = attempt.sections.current.question_ids[0]
                attempt.save_answer(exam.question(qid), "A", now=clock.now(), network_grace=NETWORK)
        except DomainError:
            pass  # a refused step (pausing twice, finishing while paused...) is a step too
        if not attempt.is_final and attempt.section_overdue(clock.now(), NETWORK):
            attempt.finish_overdue_section(exam, clock.now(), NETWORK)
        if attempt.is_final:
            break
        after = _section_clock(attempt, clock)
        remaining = after[1]
        assert remaining >= timedelta(0)
        assert remaining <= attempt.timer.remaining(clock.now())
        if after[0] == before[0] and not extended:
            assert remaining <= before[1]  # a pause or resume freezes it, never adds
        before = after


def _section_clock(attempt: Attempt, clock: FakeClock) -> tuple[str, timedelta]:
    assert attempt.sections is not None
    current = attempt.sections.current
    assert current is not None
    return current.id, current.remaining(attempt.timer, clock.now())
