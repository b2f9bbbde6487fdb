"""What a candidate may see of a finalised attempt, question by question (the exam's
`review` policy), and what each question earned."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from domain.errors import DomainError
from domain.exam import Exam, ExamMode, Question
from domain.questions.base import JsonValue
from domain.questions.scoring import shown
from domain.review_answer import correct_answer
from domain.review_policy import ReviewPolicy

__all__ = [
    "QuestionReview",
    "ReviewForbidden",
    "ReviewNotOpen",
    "ReviewPolicy",
    "candidate_review",
    "question_points",
    "reveals_correct",
    "review_of",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionReview:
    """One question of a review; None fields are the ones the policy withholds.

    `points` is None while an answered essay or external question awaits its scorer."""

    id: str
    points: float | None
    max_points: float
    response: object | None = None
    correct: object | None = None
    show_response: bool = False
    show_correct: bool = False


def question_points(
    question: Question,
    response: JsonValue | None,
    awarded: Mapping[str, Fraction] | None = None,
) -> float | None:
    """What `response` earns by the question type's own marking, exactly as the result
    counts it (rounded once to a micro-point); a scorer's points where one gave them.
    An unanswered question earns nothing; an answered one no rule scores awaits (None)."""
    if response is None:
        return 0.0
    mark = question.mark(response)
    points = mark.points
    if points is None and awarded is not None:
        points = awarded.get(question.id)
    return None if points is None else float(shown(points))


def reveals_correct(exam: Exam, now: datetime) -> bool:
    """Correct answers wait for the exam to close, so no one still taking it learns them."""
    return exam.closes_at is None or now >= exam.closes_at


def review_of(
    exam: Exam,
    answers: Mapping[str, JsonValue],
    *,
    show_responses: bool,
    show_correct: bool,
    awarded: Mapping[str, Fraction] | None = None,
    among: Collection[str] | None = None,
) -> tuple[QuestionReview, ...]:
    """Every question of the exam in the author's order (adaptive: the administered ones);
    with `among` (an attempt's sections), the questions it was given, in its order, as
    its score counts them (`Exam.given`)."""
    questions = exam.given(among)
    if exam.mode is ExamMode.ADAPTIVE:
        questions = tuple(q for q in questions if q.id in answers)
    return tuple(
        QuestionReview(
            id=question.id,
            points=question_points(question, answers.get(question.id), awarded),
            max_points=float(shown(question.max_points)),
            response=answers.get(question.id) if show_responses else None,
            correct=correct_answer(question) if show_correct else None,
            show_response=show_responses,
            show_correct=show_correct,
        )
        for question in questions
    )


class ReviewNotOpen(DomainError):
    """The candidate asked to review an attempt still in progress."""

    default_message = "an attempt can be reviewed once it is submitted or expired"


def candidate_review(
    exam: Exam,
    answers: Mapping[str, JsonValue],
    *,
    now: datetime,
    awarded: Mapping[str, Fraction] | None = None,
    among: Collection[str] | None = None,
) -> tuple[QuestionReview, ...]:
    """What the exam's policy lets the candidate see of a finalised attempt.

    Raises ReviewForbidden when the policy shows nothing per question."""
    policy = exam.review
    if policy is ReviewPolicy.NONE:
        raise ReviewForbidden()
    return review_of(
        exam,
        answers,
        show_responses=policy in {ReviewPolicy.RESPONSES, ReviewPolicy.FULL},
        show_correct=policy is ReviewPolicy.FULL and reveals_correct(exam, now),
        awarded=awarded,
        among=among,
    )


class ReviewForbidden(DomainError):
    default_message = "this exam's review policy shows nothing per question"
