"""Questions the service does not score: essays (an admin) and external items (the platform)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import ClassVar

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.questions.base import PENDING, AnswerKey, JsonValue, Marking, QuestionType

# An essay or external response beyond these is not an answer but an upload.
MAX_ESSAY_LENGTH = 100_000
MAX_EXTERNAL_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Essay(AnswerKey):
    type: ClassVar[QuestionType] = QuestionType.ESSAY
    max_length: int = 10_000

    def __post_init__(self) -> None:
        if not 1 <= self.max_length <= MAX_ESSAY_LENGTH:
            raise InvalidExamDefinition(f"max_length must be between 1 and {MAX_ESSAY_LENGTH}")

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        if not isinstance(response, str):
            raise InvalidResponse("", "must be text (a string)")
        if len(response) > self.max_length:
            raise InvalidResponse(
                "", f"{len(response)} characters; at most {self.max_length} are allowed"
            )
        return response

    def mark(self, response: JsonValue) -> Marking:
        return PENDING


@dataclass(frozen=True, slots=True, kw_only=True)
class External(AnswerKey):
    """Any JSON value the platform's own item produced, up to `max_length` bytes as JSON."""

    type: ClassVar[QuestionType] = QuestionType.EXTERNAL
    max_length: int = MAX_EXTERNAL_BYTES

    def __post_init__(self) -> None:
        if not 1 <= self.max_length <= MAX_EXTERNAL_BYTES:
            raise InvalidExamDefinition(f"max_length must be between 1 and {MAX_EXTERNAL_BYTES}")

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        size = len(json.dumps(response, separators=(",", ":"), ensure_ascii=False).encode())
        if size > self.max_length:
            raise InvalidResponse("", f"{size} bytes as JSON; at most {self.max_length}")
        return response

    def mark(self, response: JsonValue) -> Marking:
        return PENDING
