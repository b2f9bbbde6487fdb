from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from domain.exam import AdaptiveRules, Exam, ExamMode


@dataclass(frozen=True, slots=True)
class ExamListPosition:
    """Where a page of the exam list ends: the last exam's creation time, then its id."""

    created_at: datetime
    exam_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class ExamSummary:
    """An exam as listed: its rules and its size, without its questions."""

    id: UUID
    title: str
    mode: ExamMode
    duration: timedelta
    grace: timedelta
    opens_at: datetime | None
    closes_at: datetime | None
    max_attempts: int
    adaptive: AdaptiveRules | None
    question_count: int
    created_at: datetime

    @property
    def position(self) -> ExamListPosition:
        return ExamListPosition(self.created_at, self.id)


class ExamRepository(Protocol):
    """Exam definitions, correct keys included. Exams never change once added."""

    async def add(self, exam: Exam) -> None:
        """Stage a new exam in the current transaction."""
        ...

    async def get(self, exam_id: UUID) -> Exam | None:
        """The exam, or None if there is none with that id."""
        ...

    async def summaries(self, *, after: ExamListPosition | None, limit: int) -> list[ExamSummary]:
        """Up to `limit` exams, oldest first, from the one after `after` (None: the first).
        Never the questions: a listing costs the same whatever the exams' size."""
        ...
