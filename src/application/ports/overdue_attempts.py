from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt


class OverdueAttempts(Protocol):
    """Attempts whose time ran out, found and written back in batches (the sweeper's).

    Locks and writes join the current transaction.
    """

    async def lock_overdue(
        self,
        now: datetime,
        network_grace: timedelta,
        limit: int,
        *,
        among: Sequence[UUID] | None = None,
    ) -> list[Attempt]:
        """Up to `limit` overdue attempts in progress (see Timer.overdue_at), locked until the
        transaction ends; rows another transaction holds are skipped (FOR UPDATE SKIP LOCKED).
        `among` restricts the search to those ids."""
        ...

    async def overdue_ids(
        self, now: datetime, network_grace: timedelta, *, limit: int
    ) -> list[UUID]:
        """Overdue attempts in progress, earliest first, without locking anything."""
        ...

    async def update_all(self, attempts: Sequence[Attempt]) -> None:
        """Write back a batch of locked attempts and append their pending events, in two
        statements in all."""
        ...
