from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.proficiency import ProficiencyEstimate


class Proficiencies(Protocol):
    """The ability estimates finalised adaptive attempts left, per candidate and exam."""

    async def record_all(self, estimates: Sequence[ProficiencyEstimate]) -> None:
        """Keep the estimates in the current transaction (the one finalising their
        attempts); an attempt's estimate replaces the one it left before (a reopened
        attempt finalised again)."""
        ...

    async def latest_per_exam(self, candidate_id: str) -> list[ProficiencyEstimate]:
        """The candidate's latest estimate of every exam they have one of, newest first."""
        ...

    async def latest_before(
        self, candidate_id: str, exam_id: UUID, *, before: datetime, excluding: UUID
    ) -> ProficiencyEstimate | None:
        """The candidate's latest estimate on the exam that ended at or before `before`,
        from an attempt other than `excluding`; None if there is none."""
        ...
