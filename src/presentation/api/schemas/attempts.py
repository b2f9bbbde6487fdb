"""An attempt, its answers, its remaining time and its audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from application.use_cases.read_attempt import SectionTime, section_time
from domain.attempt import Attempt
from domain.events import AttemptEvent
from presentation.api.limits import InputLimits, Violation
from presentation.api.schemas.attempt_standing import AttemptStandingOut, standing_fields
from presentation.api.schemas.fields import TEXT_PATTERN, Identifier, Version
from presentation.api.schemas.questions import QuestionForCandidate
from presentation.api.schemas.results import ResultOut
from presentation.api.schemas.sections import (
    AttemptSectionOut,
    SectionTimeOut,
    attempt_sections_out,
)


class AnswerIn(Struct, frozen=True):
    """`response` in the question type's shape; single choice may send `option` instead."""

    response: Any = UNSET
    option: Identifier | UnsetType = UNSET
    expected_version: Version | None = None

    @property
    def given(self) -> Any:
        return self.option if self.response is UNSET else self.response

    def over_limits(self, limits: InputLimits) -> Iterator[Violation]:
        if (self.response is UNSET) == (self.option is UNSET):
            yield Violation("response", "send exactly one of response and option")
            return
        if self.response is None:
            yield Violation("response", "null is no response: DELETE the answer to clear it")
            return
        encoded = msgspec.json.encode(self.given)
        if len(encoded) > limits.response_bytes:
            yield Violation(
                "response", f"{len(encoded)} bytes; at most {limits.response_bytes} are allowed"
            )
        if b"\\u0000" in encoded:  # PostgreSQL's jsonb cannot hold U+0000
            yield Violation("response", "U+0000 is not allowed in a response")


class ScoreIn(Struct, frozen=True):
    """Points for one essay or external answer; the question's maximum is checked later."""

    points: Annotated[float, Meta(ge=0, le=1_000_000)]
    comment: Annotated[str, Meta(max_length=10_000, pattern=TEXT_PATTERN)] | None = None


class ClearAnswerIn(Struct, frozen=True):
    expected_version: Version | None = None


class AttemptOut(AttemptStandingOut, frozen=True, omit_defaults=True):
    answers: dict[str, Any]
    flags: list[str]
    server_time: datetime
    result: ResultOut | UnsetType = UNSET
    # Exams with sections only (schemas/sections.py).
    sections: list[AttemptSectionOut] | UnsetType = UNSET
    current_section: str | UnsetType | None = UNSET
    section: SectionTimeOut | UnsetType = UNSET
    # With `?include=questions` on a fixed-form attempt: what GET .../questions lists.
    questions: list[QuestionForCandidate] | UnsetType = UNSET


class RemainingOut(Struct, frozen=True, omit_defaults=True):
    status: str
    remaining_seconds: float
    deadline: datetime
    server_time: datetime
    paused: bool
    # The running section's clock (exams with sections only).
    section: SectionTimeOut | UnsetType = UNSET


class SavedAnswerOut(Struct, frozen=True):
    version: int
    saved_at: datetime
    remaining_seconds: float
    late: bool


class EventOut(Struct, frozen=True):
    version: int
    kind: str
    at: datetime
    data: dict[str, Any]


def attempt_out(
    attempt: Attempt,
    server_time: datetime,
    questions: list[QuestionForCandidate] | UnsetType = UNSET,
) -> AttemptOut:
    sections, current_section = attempt_sections_out(attempt, server_time)
    section = section_time(attempt, server_time)
    return AttemptOut(
        **standing_fields(attempt, server_time),
        answers=dict(attempt.answers),
        flags=list(attempt.flags),
        server_time=server_time,
        sections=sections,
        current_section=current_section,
        section=UNSET if section is None else section_time_out(section),
        questions=questions,
    )


def section_time_out(section: SectionTime) -> SectionTimeOut:
    return SectionTimeOut(
        id=section.id,
        deadline=section.deadline,
        remaining_seconds=section.remaining.total_seconds(),
    )


def event_out(event: AttemptEvent) -> EventOut:
    return EventOut(
        version=event.version, kind=event.kind.value, at=event.at, data=dict(event.data)
    )
