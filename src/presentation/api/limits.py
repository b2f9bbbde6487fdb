"""Sizes an operator bounds (HOURGLASS_MAX_*): checked on a body once it is decoded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True, kw_only=True)
class InputLimits:
    """What one request may define. The composition root builds it from the settings;
    the schemas cannot carry these bounds in their types, which are fixed at import."""

    questions_per_exam: int
    options_per_question: int
    title_length: int  # exam titles and content areas
    stem_length: int
    option_text_length: int
    reason_length: int  # every `reason` of a time change or accommodation
    response_bytes: int = 64 * 1024  # one answer's response, as JSON


@dataclass(frozen=True, slots=True)
class Violation:
    key: str
    message: str

    def as_error(self) -> dict[str, str]:
        """The shape of Litestar's own validation errors, so a 422 lists both alike."""
        return {"key": self.key, "message": self.message, "source": "body"}


@runtime_checkable
class LimitedInput(Protocol):
    """A request body with parts whose size the operator bounds."""

    def over_limits(self, limits: InputLimits) -> Iterator[Violation]:
        """Every part of the body over its limit, in body order."""
        ...


def too_long(key: str, value: str | None, limit: int) -> Iterator[Violation]:
    if value is not None and len(value) > limit:
        yield Violation(key, f"{len(value)} characters; at most {limit} are allowed")


def too_many(key: str, items: list[Any], limit: int) -> Iterator[Violation]:
    if len(items) > limit:
        yield Violation(key, f"{len(items)} entries; at most {limit} are allowed")
