"""What an attempt with drawn sections is counted out of: scoring, a regrade, its review
and its export row all read the questions it was given (`Exam.given`), in its order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.attempt import Attempt
from domain.events import EventKind
from domain.exam import Exam
from domain.regrade import Regrade
from domain.result_sheet import question_points
from domain.review import review_of
from domain.sections import Section
from tests.fakes.builders import make_exam, make_question
from tests.fakes.clock import T0

POOL = tuple(f"p{i}" for i in range(8))
FIXED = ("f1", "f2")
QUESTIONS = tuple(
    make_question(qid, correct_key="A", points=float(n % 3 + 1))
    for n, qid in enumerate(POOL + FIXED)
)
SECTIONS = (
    Section(id="drawn", question_ids=POOL, draw_count=3, shuffle_questions=True),
    Section(id="fixed", question_ids=FIXED),
)
EXAM = replace(make_exam(duration=timedelta(minutes=60), questions=QUESTIONS), sections=SECTIONS)
LATER = T0 + timedelta(minutes=5)


def submitted(attempt_id: UUID, answers: dict[str, str], exam: Exam = EXAM) -> Attempt:
    attempt = Attempt.start(attempt_id=attempt_id, exam=exam, candidate_id="c", now=T0)
    attempt.answers.update(answers)  # as saved; which ones the sections took is not the point
    attempt.submit(exam, T0 + timedelta(minutes=1))
    return attempt


def drawn_and_left_out(attempt_id: UUID) -> tuple[tuple[str, ...], tuple[str, ...]]:
    drawn = SECTIONS[0].form(attempt_id)
    return drawn, tuple(qid for qid in POOL if qid not in drawn)


def test_given_is_every_question_without_sections_and_the_attempts_own_order_with_them() -> None:
    assert EXAM.given() == EXAM.questions
    assert [q.id for q in EXAM.given(("f2", "p5", "nope", "p1"))] == ["f2", "p5", "p1"]


def test_a_drawn_attempt_is_scored_out_of_its_own_questions() -> None:
    attempt_id = uuid4()
    drawn, _ = drawn_and_left_out(attempt_id)
    attempt = submitted(attempt_id, dict.fromkeys((*drawn, *FIXED), "A"))
    assert attempt.result is not None
    own = sum(EXAM.question(qid).points for qid in (*drawn, *FIXED))
    assert (attempt.result.score, attempt.result.max_score) == (own, own)
    assert own < EXAM.max_score


def test_a_regrade_of_a_question_the_attempt_never_drew_leaves_it_alone() -> None:
    attempt_id = uuid4()
    drawn, left_out = drawn_and_left_out(attempt_id)
    attempt = submitted(attempt_id, {drawn[0]: "A"})
    before, events = attempt.result, len(attempt.pending_events)
    scoring = Regrade(question_id=left_out[0], full_credit=True).apply(EXAM)
    assert not attempt.was_given(left_out[0])
    assert attempt.rescore_for(left_out[0], scoring, now=LATER, details={}) is False
    assert attempt.result == before
    assert len(attempt.pending_events) == events


def test_a_regrade_of_a_drawn_question_rescores_out_of_the_drawn_questions() -> None:
    attempt_id = uuid4()
    drawn, _ = drawn_and_left_out(attempt_id)
    attempt = submitted(attempt_id, {drawn[0]: "B"})
    assert attempt.result is not None
    assert attempt.result.score == 0
    max_before = attempt.result.max_score
    scoring = Regrade(question_id=drawn[0], correct_keys=frozenset({"B"})).apply(EXAM)
    assert attempt.rescore_for(drawn[0], scoring, now=LATER, details={"reason": "key"}) is True
    assert attempt.result.score == EXAM.question(drawn[0]).points
    assert attempt.result.max_score == max_before
    rescored = attempt.pending_events[-1]
    assert rescored.kind is EventKind.ATTEMPT_RESCORED
    assert rescored.data["max_score"] == max_before


def test_an_attempt_without_sections_was_given_every_question() -> None:
    exam = make_exam()
    attempt = submitted(uuid4(), {}, exam)
    scoring = Regrade(question_id=exam.questions[0].id, full_credit=True).apply(exam)
    assert attempt.rescore_for(exam.questions[0].id, scoring, now=LATER, details={}) is True


def test_the_review_shows_the_drawn_questions_in_the_attempts_order() -> None:
    attempt_id = uuid4()
    attempt = submitted(attempt_id, {})
    given_ids = attempt.given_questions()
    review = review_of(EXAM, {}, show_responses=True, show_correct=True, among=given_ids)
    assert tuple(item.id for item in review) == given_ids
    assert given_ids is not None
    assert len(given_ids) == 3 + len(FIXED)


def test_the_export_row_leaves_questions_not_given_blank_and_unanswered_given_ones_zero() -> None:
    attempt_id = uuid4()
    drawn, left_out = drawn_and_left_out(attempt_id)
    attempt = submitted(attempt_id, {drawn[0]: "A"})
    row = dict(zip((q.id for q in EXAM.questions), question_points(
        EXAM, attempt.answers, attempt.given_questions()), strict=True))  # fmt: skip
    assert all(row[qid] is None for qid in left_out)
    assert row[drawn[0]] == EXAM.question(drawn[0]).points
    assert all(row[qid] == 0.0 for qid in (*drawn[1:], *FIXED))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**64 - 1),
    answers=st.dictionaries(st.sampled_from(POOL + FIXED), st.sampled_from("AB")),
)
def test_review_and_export_add_up_to_the_attempts_score(seed: int, answers: dict[str, str]) -> None:
    attempt = submitted(UUID(int=seed), answers)
    result = attempt.result
    assert result is not None
    given_ids = attempt.given_questions()
    review = review_of(EXAM, attempt.answers, show_responses=True, show_correct=False,
                       among=given_ids)  # fmt: skip
    assert sum(item.points or 0.0 for item in review) == result.score
    assert sum(item.max_points for item in review) == result.max_score
    exported = question_points(EXAM, attempt.answers, given_ids)
    assert sum(points or 0.0 for points in exported) == result.score
    assert sum(points is not None for points in exported) == len(review)
