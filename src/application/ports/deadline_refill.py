from __future__ import annotations

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
