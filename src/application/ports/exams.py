from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.exam import Exam


class ExamRepository(Protocol):
    """Exam definitions, correct keys included. Exams never change once added."""

    async def add(self, exam: Exam) -> None:
        """Stage a new exam in the current transaction."""
        ...

    async def get(self, exam_id: UUID) -> Exam | None:
        """The exam, or None if there is none with that id."""
        ...

    async def list(self) -> list[Exam]:
        """Every exam, oldest first."""
        ...
