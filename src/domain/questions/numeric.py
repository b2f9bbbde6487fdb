"""Numeric questions: right within a tolerance of the value, absolute or relative.

Numbers are compared as the decimals they were written as (`Decimal(repr(x))`), so 3.15
is within 0.01 of 3.14 as a person reads it, whatever binary floats make of the
difference. A relative tolerance is a share of the value's size, |r - v| <= t * |v|, so
with a value of zero it admits zero alone: no other number is within any share of
nothing, and a question whose answer is zero should say its tolerance absolutely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.questions.base import FULL, NOTHING, AnswerKey, JsonValue, Marking, QuestionType


def _decimal(number: float) -> Decimal:
    return Decimal(repr(float(number))) if isinstance(number, float) else Decimal(number)


@dataclass(frozen=True, slots=True, kw_only=True)
class NumericAnswer(AnswerKey):
    type: ClassVar[QuestionType] = QuestionType.NUMERIC
    value: float
    tolerance: float = 0.0
    relative: bool = False

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise InvalidExamDefinition("numeric.value must be a finite number")
        if not math.isfinite(self.tolerance) or self.tolerance < 0:
            raise InvalidExamDefinition("numeric.tolerance must be a finite number >= 0")

    @property
    def allowed_error(self) -> Decimal:
        tolerance = _decimal(self.tolerance)
        return tolerance * abs(_decimal(self.value)) if self.relative else tolerance

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        # bool is an int to Python, never a number to a candidate.
        if isinstance(response, bool) or not isinstance(response, int | float):
            raise InvalidResponse("", "must be a number")
        if isinstance(response, float) and not math.isfinite(response):
            raise InvalidResponse("", "must be a finite number")
        return response

    def mark(self, response: JsonValue) -> Marking:
        if isinstance(response, bool) or not isinstance(response, int | float):
            return NOTHING
        error = abs(_decimal(response) - _decimal(self.value))
        return FULL if error <= self.allowed_error else NOTHING
