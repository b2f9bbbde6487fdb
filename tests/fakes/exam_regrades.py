"""Regrades kept in memory, as the PostgreSQL adapter keeps them in a table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from application.ports.exam_regrades import FinalAttemptsToRescore
from domain.attempt import Attempt
from domain.regrade import Regrade
from tests.fakes.attempts import InMemoryAttempts


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


class InMemoryFinalAttemptsToRescore:
    """An exam's final attempts locked in id order and written back, as the SQL adapter
    does, over the in-memory attempts."""

    def __init__(self, attempts: InMemoryAttempts) -> None:
        self._attempts = attempts

    async def lock_final(self, exam_id: UUID) -> list[Attempt]:
        final = sorted(
            attempt_id
            for attempt_id, row in self._attempts.store.rows.items()
            if row.attempt.exam_id == exam_id and row.attempt.is_final
        )
        locked = [await self._attempts.get_for_update(attempt_id) for attempt_id in final]
        return [attempt for attempt in locked if attempt is not None]

    async def write_results(self, attempts: Sequence[Attempt]) -> None:
        await self._attempts.update_all(attempts)


_: type[FinalAttemptsToRescore] = InMemoryFinalAttemptsToRescore
