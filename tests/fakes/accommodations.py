"""Accommodations kept in memory, honouring the transaction like the PostgreSQL adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from application.ports import AccommodationRepository, CandidateAccommodation
from domain.accommodation import Accommodation
from tests.fakes.transaction import FakeTransaction

Key = tuple[UUID, str]


@dataclass
class AccommodationStore:
    """The committed accommodations by (exam id, candidate id), shared by every session."""

    rows: dict[Key, Accommodation] = field(default_factory=dict)


class InMemoryAccommodationRepository(AccommodationRepository):
    """`put` is staged until the transaction commits; this session reads its own writes."""

    def __init__(
        self, transaction: FakeTransaction, store: AccommodationStore | None = None
    ) -> None:
        self.store = store if store is not None else AccommodationStore()
        self._transaction = transaction
        self._staged: dict[Key, Accommodation] = {}

    async def put(self, exam_id: UUID, candidate_id: str, accommodation: Accommodation) -> None:
        self._staged[(exam_id, candidate_id)] = accommodation
        self._transaction.join(self)

    async def get(self, exam_id: UUID, candidate_id: str) -> Accommodation | None:
        return self._visible().get((exam_id, candidate_id))

    async def list(self, exam_id: UUID) -> list[CandidateAccommodation]:
        return [
            CandidateAccommodation(candidate_id=candidate_id, accommodation=accommodation)
            for (exam, candidate_id), accommodation in sorted(
                self._visible().items(), key=lambda item: item[0][1]
            )
            if exam == exam_id
        ]

    def _visible(self) -> dict[Key, Accommodation]:
        return {**self.store.rows, **self._staged}

    # Transaction participant.

    def check_staged(self) -> None:
        """An upsert cannot conflict."""

    def publish_staged(self) -> None:
        self.store.rows.update(self._staged)
        self._staged.clear()

    def drop_staged(self) -> None:
        self._staged.clear()
