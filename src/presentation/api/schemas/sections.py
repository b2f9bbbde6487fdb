"""Sections: as an exam's body defines them, and as an attempt runs them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from domain.attempt import Attempt
from domain.errors import InvalidExamDefinition
from domain.sections import Navigation, Section, SectionStatus
from presentation.api.limits import InputLimits, Violation, too_long, too_many
from presentation.api.schemas.fields import WEEK_SECONDS, Identifier, Text

QuestionIds = Annotated[list[Identifier], Meta(min_length=1)]


class DrawIn(Struct, frozen=True, rename={"pool": "from"}):
    # `from` is a Python keyword: the field is `pool` here, `from` on the wire.
    pool: QuestionIds
    count: Annotated[int, Meta(ge=1, le=100_000)]


class SectionIn(Struct, frozen=True):
    id: Identifier
    title: Text | None = None
    duration_seconds: Annotated[float, Meta(gt=0, le=WEEK_SECONDS)] | None = None
    navigation: Literal["free", "sequential"] = "free"
    question_ids: QuestionIds | None = None
    draw: DrawIn | None = None
    shuffle_questions: bool = False

    def section(self) -> Section:
        if (self.question_ids is None) == (self.draw is None):
            raise InvalidExamDefinition(
                f"section {self.id!r}: give exactly one of question_ids and draw"
            )
        listed = self.question_ids if self.draw is None else self.draw.pool
        return Section(
            id=self.id,
            title=self.title,
            duration=None
            if self.duration_seconds is None
            else timedelta(seconds=self.duration_seconds),
            navigation=Navigation(self.navigation),
            question_ids=tuple(listed or ()),
            draw_count=None if self.draw is None else self.draw.count,
            shuffle_questions=self.shuffle_questions,
        )

    def over_limits(self, where: str, limits: InputLimits) -> Iterator[Violation]:
        yield from too_long(f"{where}.title", self.title, limits.title_length)
        listed = self.question_ids if self.draw is None else self.draw.pool
        yield from too_many(f"{where}.question_ids", listed or [], limits.questions_per_exam)


class DrawOut(Struct, frozen=True, rename={"pool": "from"}):
    pool: list[str]
    count: int


class SectionOut(Struct, frozen=True, omit_defaults=True):
    id: str
    navigation: str
    title: str | None = None
    duration_seconds: float | None = None
    question_ids: list[str] | UnsetType = UNSET
    draw: DrawOut | UnsetType = UNSET
    shuffle_questions: bool = False


def sections_out(sections: tuple[Section, ...]) -> list[SectionOut] | UnsetType:
    if not sections:
        return UNSET
    return [
        SectionOut(
            id=section.id,
            navigation=section.navigation.value,
            title=section.title,
            duration_seconds=None if section.duration is None else section.duration.total_seconds(),
            question_ids=list(section.question_ids) if section.draw_count is None else UNSET,
            draw=UNSET
            if section.draw_count is None
            else DrawOut(pool=list(section.question_ids), count=section.draw_count),
            shuffle_questions=section.shuffle_questions,
        )
        for section in sections
    ]


class AttemptSectionOut(Struct, frozen=True, omit_defaults=True):
    """One section as the attempt runs it; `deadline` and `remaining_seconds` while it
    runs (and the deadline it had, once done); `position` in a sequential section."""

    id: str
    status: str
    navigation: str
    question_count: int
    title: str | None = None
    duration_seconds: float | None = None
    deadline: datetime | None = None
    remaining_seconds: float | None = None
    current_question: str | None = None
    entered_at: datetime | None = None
    finished_at: datetime | None = None


class SectionTimeOut(Struct, frozen=True):
    id: str
    deadline: datetime
    remaining_seconds: float


def attempt_sections_out(
    attempt: Attempt, server_time: datetime
) -> tuple[list[AttemptSectionOut] | UnsetType, str | UnsetType | None]:
    """The attempt's `sections` and `current_section` (both left out without sections)."""
    progress = attempt.sections
    if progress is None:
        return UNSET, UNSET
    out = []
    for run in progress.runs:
        active = run.status is SectionStatus.ACTIVE and not attempt.is_final
        sequential = run.navigation is Navigation.SEQUENTIAL
        out.append(
            AttemptSectionOut(
                id=run.id,
                status=run.status.value,
                navigation=run.navigation.value,
                question_count=len(run.question_ids),
                title=run.title,
                duration_seconds=None if run.duration is None else run.duration.total_seconds(),
                deadline=run.deadline_at(attempt.timer, server_time) if active else None,
                remaining_seconds=run.remaining(attempt.timer, server_time).total_seconds()
                if active
                else None,
                current_question=run.question_ids[run.position] if active and sequential else None,
                entered_at=run.entered_at,
                finished_at=run.finished_at,
            )
        )
    current = progress.current
    return out, None if current is None or attempt.is_final else current.id
