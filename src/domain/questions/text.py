"""Short text questions: accepted answers and/or a pattern, matched after normalising.

The response is stored as typed; matching trims it and folds each run of whitespace to
one space (and folds case unless the question is case-sensitive), and so does the
author's list of accepted answers. A pattern must match the whole normalised response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.questions.base import FULL, NOTHING, AnswerKey, JsonValue, Marking, QuestionType
from domain.questions.safe_pattern import compile_pattern

MAX_TEXT_LENGTH = 10_000
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str, *, case_sensitive: bool) -> str:
    folded = _WHITESPACE.sub(" ", text.strip())
    return folded if case_sensitive else folded.casefold()


@dataclass(frozen=True, slots=True, kw_only=True)
class TextAnswer(AnswerKey):
    type: ClassVar[QuestionType] = QuestionType.TEXT
    accepted: tuple[str, ...] = ()
    pattern: str | None = None
    case_sensitive: bool = False
    max_length: int = 200
    _accepted: frozenset[str] = field(init=False, repr=False, compare=False)
    _compiled: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.accepted and self.pattern is None:
            raise InvalidExamDefinition("a text question needs accepted answers or a pattern")
        if not 1 <= self.max_length <= MAX_TEXT_LENGTH:
            raise InvalidExamDefinition(f"max_length must be between 1 and {MAX_TEXT_LENGTH}")
        accepted = {normalise(a, case_sensitive=self.case_sensitive) for a in self.accepted}
        if "" in accepted:
            raise InvalidExamDefinition("an accepted answer cannot be blank")
        object.__setattr__(self, "_accepted", frozenset(accepted))
        compiled = None
        if self.pattern is not None:
            compiled = compile_pattern(
                self.pattern, case_sensitive=self.case_sensitive, max_length=self.max_length
            )
        object.__setattr__(self, "_compiled", compiled)

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        if not isinstance(response, str):
            raise InvalidResponse("", "must be text (a string)")
        if len(response) > self.max_length:
            raise InvalidResponse(
                "", f"{len(response)} characters; at most {self.max_length} are allowed"
            )
        return response

    def mark(self, response: JsonValue) -> Marking:
        if not isinstance(response, str) or len(response) > self.max_length:
            return NOTHING
        answer = normalise(response, case_sensitive=self.case_sensitive)
        if answer in self._accepted:
            return FULL
        if self._compiled is not None and self._compiled.fullmatch(answer):
            return FULL
        return NOTHING
