from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt


class CommittedAttempts(Protocol):
    """An attempt as PostgreSQL has committed it, read by itself outside the unit's
    transaction: for what a client is told at once (a live stream's next event), which
    takes no lock, changes nothing, and so need not open the unit's session."""

    async def get(self, attempt_id: UUID) -> Attempt | None:
        """The committed attempt, answers and responses included; None if there is none.
        Whatever an open unit of work has not committed is not in it."""
        ...
