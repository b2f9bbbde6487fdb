"""Exact sums of points: shares are fractions, totals decimals to six places.

Points are written as decimals (`1.5`); a partial credit of one third of them is not one,
so every question's points are kept as a fraction and only the totals are rounded, once,
to a micro-point. Float sums would show 0.30000000000000004 for 0.1 + 0.2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from domain.questions.base import Marking

MICRO = Decimal("0.000001")


def exact_points(points: float | Decimal | Fraction) -> Fraction:
    """The points an author wrote, as the decimal they wrote (not the nearest binary)."""
    if isinstance(points, float):
        return Fraction(Decimal(repr(points)))
    return Fraction(points)


def shown(points: Fraction) -> Decimal:
    """A total as the result shows it: a decimal rounded once to a micro-point."""
    exact = Decimal(points.numerator) / Decimal(points.denominator)
    return exact.quantize(MICRO, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionMark:
    """One question's marking on an answer sheet; `points` None while it awaits a scorer."""

    question_id: str
    points: Fraction | None
    max_points: Fraction
    right: bool

    @classmethod
    def of(cls, question_id: str, marking: Marking, max_points: Fraction) -> QuestionMark:
        points = None if marking.share is None else marking.share * max_points
        return cls(question_id=question_id, points=points, max_points=max_points,
                   right=marking.right)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class Scoresheet:
    """The totals of a set of question marks."""

    score: Fraction
    max_score: Fraction
    pending_points: Fraction
    answered: int
    correct: int

    @classmethod
    def of(cls, marks: Iterable[QuestionMark], max_score: Fraction, answered: int) -> Scoresheet:
        marks = list(marks)
        return cls(
            score=sum((m.points for m in marks if m.points is not None), Fraction(0)),
            max_score=max_score,
            pending_points=sum((m.max_points for m in marks if m.points is None), Fraction(0)),
            answered=answered,
            correct=sum(1 for m in marks if m.right),
        )

    @property
    def scored(self) -> bool:
        return self.pending_points == 0
