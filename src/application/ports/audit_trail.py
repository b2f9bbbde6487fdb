from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt
from domain.events import AttemptEvent


class AuditTrail(Protocol):
    """Every attempt's events, oldest first. Appends join the current transaction."""

    async def events(self, attempt_id: UUID) -> list[AttemptEvent]:
        """The attempt's audit trail, oldest first."""
        ...

    async def append_events(self, attempt: Attempt) -> None:
        """Append the attempt's pending events without changing the attempt itself."""
        ...
