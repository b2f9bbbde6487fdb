from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.accommodation import Accommodation


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateAccommodation:
    candidate_id: str
    accommodation: Accommodation


class AccommodationRepository(Protocol):
    """Accommodations per exam and candidate, in the durable store."""

    async def put(self, exam_id: UUID, candidate_id: str, accommodation: Accommodation) -> None:
        """Set (or replace) the candidate's accommodation for the exam, in this transaction."""
        ...

    async def get(self, exam_id: UUID, candidate_id: str) -> Accommodation | None:
        """The candidate's accommodation for the exam, if any."""
        ...

    async def list(self, exam_id: UUID) -> list[CandidateAccommodation]:
        """Every accommodation of the exam, by candidate id."""
        ...
