"""Bodies of GET /candidates/{candidate_id}/proficiency."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from msgspec import Struct


class ProficiencyOut(Struct, frozen=True):
    """The candidate's latest ability estimate on one exam (each exam is its own scale)."""

    exam_id: UUID
    theta: float
    se: float
    updated_at: datetime
    attempt_id: UUID
