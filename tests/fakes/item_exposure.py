"""Exposure counts over the fake's committed attempt rows, as PostgreSQL counts events."""

from __future__ import annotations

from collections import Counter
from uuid import UUID

from application.ports.item_exposure import ExposureCounts, ItemExposure
from tests.fakes.attempts import AttemptStore


class InMemoryItemExposure:
    def __init__(self, store: AttemptStore) -> None:
        self._store = store

    async def of_exam(self, exam_id: UUID) -> ExposureCounts:
        given = [
            {response.item_id for response in row.attempt.responses}
            for row in self._store.rows.values()
            if row.attempt.exam_id == exam_id and row.attempt.responses
        ]
        return ExposureCounts(
            attempts=len(given), administered=Counter(item for items in given for item in items)
        )


_: type[ItemExposure] = InMemoryItemExposure
