from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class ExposureCounts:
    """How many of an exam's attempts were given at least one item, and by how many of
    them each item was given (items never given are absent)."""

    attempts: int
    administered: Mapping[str, int]


class ItemExposure(Protocol):
    """Counts of administered items, from the stored responses of an exam's attempts."""

    async def of_exam(self, exam_id: UUID) -> ExposureCounts:
        """Counts over every attempt of the exam, in progress or final."""
        ...
