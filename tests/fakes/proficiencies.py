"""Proficiency estimates in memory, staged until the transaction commits like the table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.ports.proficiencies import Proficiencies
from domain.proficiency import ProficiencyEstimate
from tests.fakes.transaction import FakeTransaction


@dataclass
class ProficiencyStore:
    """Committed estimates by attempt id, shared by every session."""

    rows: dict[UUID, ProficiencyEstimate] = field(default_factory=dict)


class InMemoryProficiencies(Proficiencies):
    def __init__(self, transaction: FakeTransaction, store: ProficiencyStore | None = None) -> None:
        self.store = store if store is not None else ProficiencyStore()
        self._transaction = transaction
        self._staged: dict[UUID, ProficiencyEstimate] = {}

    async def record_all(self, estimates: Sequence[ProficiencyEstimate]) -> None:
        if not estimates:
            return
        self._staged.update((estimate.attempt_id, estimate) for estimate in estimates)
        self._transaction.join(self)

    async def latest_per_exam(self, candidate_id: str) -> list[ProficiencyEstimate]:
        latest: dict[UUID, ProficiencyEstimate] = {}
        for estimate in self._of(candidate_id):
            known = latest.get(estimate.exam_id)
            if known is None or _order(estimate) > _order(known):
                latest[estimate.exam_id] = estimate
        return sorted(latest.values(), key=_order, reverse=True)

    async def latest_before(
        self, candidate_id: str, exam_id: UUID, *, before: datetime, excluding: UUID
    ) -> ProficiencyEstimate | None:
        earlier = [
            estimate
            for estimate in self._of(candidate_id)
            if estimate.exam_id == exam_id
            and estimate.updated_at <= before
            and estimate.attempt_id != excluding
        ]
        return max(earlier, key=_order, default=None)

    def _of(self, candidate_id: str) -> list[ProficiencyEstimate]:
        visible = {**self.store.rows, **self._staged}
        return [e for e in visible.values() if e.candidate_id == candidate_id]

    # Transaction participant.

    def check_staged(self) -> None:
        """An upsert cannot conflict."""

    def publish_staged(self) -> None:
        self.store.rows.update(self._staged)
        self._staged.clear()

    def drop_staged(self) -> None:
        self._staged.clear()


def _order(estimate: ProficiencyEstimate) -> tuple[datetime, str]:
    # Ties broken by attempt id, as the SQL adapter does.
    return estimate.updated_at, str(estimate.attempt_id)
