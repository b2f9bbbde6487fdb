"""Regrades kept in memory, as the PostgreSQL adapter keeps them in a table."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

from domain.regrade import Regrade


class InMemoryExamRegrades:
    def __init__(self) -> None:
        self._by_exam: defaultdict[UUID, list[Regrade]] = defaultdict(list)
        self.reasons: list[str] = []

    async def of_exam(self, exam_id: UUID) -> list[Regrade]:
        return list(self._by_exam.get(exam_id, []))

    async def add(
        self, exam_id: UUID, regrade: Regrade, *, reason: str, by: str, at: datetime
    ) -> None:
        self._by_exam[exam_id].append(regrade)
        self.reasons.append(reason)
