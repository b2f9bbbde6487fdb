from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID


class InProgressDeadlines(Protocol):
    """When each attempt in progress must be finalised, from the durable store: what a
    deadline index that lost its entries (a Redis restarted empty) is refilled from."""

    async def overdue_times(self, network_grace: timedelta) -> list[tuple[UUID, datetime]]:
        """Every attempt in progress with its Timer.overdue_at, in one query; attempts
        paused with no window end (never overdue while paused) are left out."""
        ...


class DeadlineIndexRefill(Protocol):
    """The deadline index's side of a refill: scheduling in bulk. Adapters swallow their
    own outages, like DeadlineIndex's."""

    async def schedule_all(self, entries: Sequence[tuple[UUID, datetime]]) -> int:
        """Schedule (or move) every attempt, in as few round trips as the store allows;
        how many were scheduled (0 when the store is unreachable)."""
        ...
