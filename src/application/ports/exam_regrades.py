from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt
from domain.regrade import Regrade


class ExamRegrades(Protocol):
    """The regrades posted for an exam, in the order they were posted."""

    async def of_exam(self, exam_id: UUID) -> list[Regrade]:
        """Every regrade of the exam, oldest first (empty for most exams)."""
        ...

    async def add(
        self, exam_id: UUID, regrade: Regrade, *, reason: str, by: str, at: datetime
    ) -> None:
        """Keep a regrade in the current transaction."""
        ...


class FinalAttemptsToRescore(Protocol):
    """An exam's final attempts, rescored together (a regrade)."""

    async def lock_final(self, exam_id: UUID) -> list[Attempt]:
        """The exam's final attempts with their answers and awarded scores, rows locked
        until the transaction ends."""
        ...

    async def write_results(self, attempts: Sequence[Attempt]) -> None:
        """Write back the results and versions of attempts from `lock_final` and append
        their pending events, in as few statements as the driver allows."""
        ...
