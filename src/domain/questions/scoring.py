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
ZERO = Fraction(0)


def exact_points(points: float | Decimal | Fraction) -> Fraction:
    """The points an author wrote, as the decimal they wrote (not the nearest binary)."""
    if isinstance(points, float):
        return Fraction(Decimal(repr(points)))
    return Fraction(points)


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum, adding numerators per denominator and making a fraction once for each.

    An answer sheet's points share a few denominators (whole points, halves, tenths, a
    third for partial credit), and each `Fraction` addition normalises by a gcd: adding
    twenty of them one by one was most of a submit's scoring."""
    numerators: dict[int, int] = {}
    for value in values:
        denominator = value.denominator
        numerators[denominator] = numerators.get(denominator, 0) + value.numerator
    if len(numerators) == 1:
        ((denominator, numerator),) = numerators.items()
        return Fraction(numerator, denominator)
    return sum((Fraction(n, d) for d, n in numerators.items()), ZERO)


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
        share = marking.share
        # A right or a wrong answer, most of a sheet, needs no multiplication.
        if share is None:
            points = None
        elif share == 1:
            points = max_points
        elif share == 0:
            points = ZERO
        else:
            points = share * max_points
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
            score=exact_sum(m.points for m in marks if m.points is not None),
            max_score=max_score,
            pending_points=exact_sum(m.max_points for m in marks if m.points is None),
            answered=answered,
            correct=sum(1 for m in marks if m.right),
        )

    @property
    def scored(self) -> bool:
        return self.pending_points == 0
