"""Choice questions: one right option, or a set of them with all-or-nothing or partial credit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import ClassVar

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.questions.base import FULL, NOTHING, AnswerKey, JsonValue, Marking, QuestionType


@dataclass(frozen=True, slots=True, kw_only=True)
class SingleChoice(AnswerKey):
    type: ClassVar[QuestionType] = QuestionType.SINGLE
    uses_options: ClassVar[bool] = True
    correct_key: str

    @property
    def dichotomous(self) -> bool:
        return True

    def check_definition(self, where: str, option_keys: frozenset[str]) -> None:
        if self.correct_key not in option_keys:
            raise InvalidExamDefinition(f"{where}: correct_key is not one of its option keys")

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        if not isinstance(response, str):
            raise InvalidResponse("", "must be one option key (a string)")
        if response not in option_keys:
            raise InvalidResponse("", f"{response!r} is not one of the question's options")
        return response

    def mark(self, response: JsonValue) -> Marking:
        return FULL if response == self.correct_key else NOTHING


class MultipleScoring(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


@dataclass(frozen=True, slots=True, kw_only=True)
class MultipleChoice(AnswerKey):
    """Partial credit: +1/n per right key chosen, -1/n per wrong one (n right keys),
    never below nothing; the exact selection is the only one counted right."""

    type: ClassVar[QuestionType] = QuestionType.MULTIPLE
    uses_options: ClassVar[bool] = True
    correct_keys: frozenset[str]
    scoring: MultipleScoring = MultipleScoring.ALL_OR_NOTHING

    def check_definition(self, where: str, option_keys: frozenset[str]) -> None:
        if not self.correct_keys:
            raise InvalidExamDefinition(f"{where}: correct_keys needs at least one key")
        if not self.correct_keys <= option_keys:
            raise InvalidExamDefinition(f"{where}: correct_keys are not all option keys")

    @property
    def dichotomous(self) -> bool:
        return self.scoring is MultipleScoring.ALL_OR_NOTHING

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        if not isinstance(response, list):
            raise InvalidResponse("", "must be a list of option keys")
        for index, key in enumerate(response):
            if not isinstance(key, str):
                raise InvalidResponse(f"[{index}]", "must be an option key (a string)")
            if key not in option_keys:
                raise InvalidResponse(f"[{index}]", f"{key!r} is not one of the options")
        if len(set(response)) != len(response):
            raise InvalidResponse("", "lists an option more than once")
        return list(response)

    def mark(self, response: JsonValue) -> Marking:
        keys = response if isinstance(response, list) else []
        chosen = frozenset(key for key in keys if isinstance(key, str))
        if chosen == self.correct_keys:
            return FULL
        if self.scoring is MultipleScoring.ALL_OR_NOTHING:
            return NOTHING
        right = len(chosen & self.correct_keys)
        wrong = len(chosen - self.correct_keys)
        return Marking(share=max(Fraction(0), Fraction(right - wrong, len(self.correct_keys))))
