"""Flags on an attempt and an attempt's review."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET, Struct, UnsetType

from domain.review import QuestionReview


class FlagsOut(Struct, frozen=True):
    flags: list[str]


class QuestionReviewOut(Struct, frozen=True, omit_defaults=True):
    """`response` is null for a question left unanswered; absent when the policy hides it.
    `points` is null while an answered essay or external question awaits its scorer."""

    id: str
    points: float | None
    max_points: float
    response: Any | UnsetType = UNSET
    correct: Any | UnsetType = UNSET


def question_review_out(review: QuestionReview) -> QuestionReviewOut:
    return QuestionReviewOut(
        id=review.id,
        points=review.points,
        max_points=review.max_points,
        response=review.response if review.show_response else UNSET,
        correct=review.correct if review.show_correct else UNSET,
    )
