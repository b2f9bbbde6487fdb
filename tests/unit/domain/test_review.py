"""What an exam's review policy shows of a finalised attempt, question by question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import AttemptAlreadyFinal, UnknownQuestion, WrongExamMode
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters, Option, Question
from domain.flags import ensure_flaggable
from domain.review import (
    ReviewForbidden,
    ReviewPolicy,
    candidate_review,
    question_points,
    reveals_correct,
    review_of,
)
from tests.unit.domain.attempts import start

NOW = datetime(2030, 1, 1, 9, tzinfo=UTC)
OPTIONS = (Option(key="A", text="a"), Option(key="B", text="b"))


def _exam(review: ReviewPolicy = ReviewPolicy.SCORE, closes_at: datetime | None = None) -> Exam:
    return Exam(
        id=uuid4(),
        title="Review",
        mode=ExamMode.FIXED,
        duration=timedelta(minutes=10),
        questions=(
            Question(id="q1", stem="?", options=OPTIONS, correct_key="A", points=2.5),
            Question(id="q2", stem="?", options=OPTIONS, correct_key="B"),
        ),
        opens_at=None,
        closes_at=closes_at,
        review=review,
    )


ANSWERS = {"q1": "A", "q2": "A"}


def test_score_shows_points_only() -> None:
    review = candidate_review(_exam(), ANSWERS, now=NOW)
    assert [(q.id, q.points, q.max_points) for q in review] == [("q1", 2.5, 2.5), ("q2", 0, 1)]
    assert not any(q.show_response or q.show_correct for q in review)


def test_responses_shows_answers_and_never_keys() -> None:
    review = candidate_review(_exam(ReviewPolicy.RESPONSES), {"q1": "B"}, now=NOW)
    assert [(q.response, q.show_response, q.show_correct) for q in review] == [
        ("B", True, False),
        (None, True, False),
    ]


def test_full_shows_keys_only_once_the_exam_has_closed() -> None:
    closes = NOW + timedelta(hours=1)
    exam = _exam(ReviewPolicy.FULL, closes_at=closes)
    before = candidate_review(exam, ANSWERS, now=NOW)
    assert not any(q.show_correct for q in before)
    after = candidate_review(exam, ANSWERS, now=closes)
    assert [(q.correct, q.show_correct) for q in after] == [("A", True), ("B", True)]
    assert reveals_correct(_exam(ReviewPolicy.FULL), NOW)  # no closes_at: at once


def test_none_forbids() -> None:
    with pytest.raises(ReviewForbidden):
        candidate_review(_exam(ReviewPolicy.NONE), ANSWERS, now=NOW)


@given(st.one_of(st.none(), st.sampled_from(["A", "B", "Z"])))
def test_points_are_all_or_nothing_by_key(response: str | None) -> None:
    question = _exam().questions[0]
    points = question_points(question, response)
    assert points == (2.5 if response == "A" else 0.0)


def test_an_adaptive_review_lists_the_administered_items_only() -> None:
    review = review_of(_adaptive(), {"q2": "A"}, show_responses=True, show_correct=True)
    assert [(q.id, q.points, q.response, q.correct) for q in review] == [("q2", 1.0, "A", "A")]
    fixed = review_of(_exam(), {"q2": "B"}, show_responses=True, show_correct=False)
    assert [q.id for q in fixed] == ["q1", "q2"]  # a fixed form: every question


def test_flags_need_a_fixed_attempt_in_progress_and_a_known_question() -> None:
    exam = _exam()
    attempt = start(exam, now=NOW)
    ensure_flaggable(attempt, exam, "q1")
    with pytest.raises(UnknownQuestion):
        ensure_flaggable(attempt, exam, "nope")
    attempt.submit(exam, NOW + timedelta(minutes=1))
    with pytest.raises(AttemptAlreadyFinal):
        ensure_flaggable(attempt, exam, "q1")


def test_no_flags_on_an_adaptive_attempt() -> None:
    exam = _adaptive()
    with pytest.raises(WrongExamMode):
        ensure_flaggable(start(exam, now=NOW), exam, "q1")


def _adaptive() -> Exam:
    irt = IrtParameters(a=1, b=0)
    questions = tuple(
        Question(id=f"q{n}", stem="?", options=OPTIONS, correct_key="A", irt=irt) for n in (1, 2)
    )
    return Exam(
        id=uuid4(),
        title="Adaptive",
        mode=ExamMode.ADAPTIVE,
        duration=timedelta(minutes=10),
        questions=questions,
        adaptive=AdaptiveRules(max_items=2),
    )
