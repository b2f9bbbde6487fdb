"""Where finished attempts' audit events go once they are old (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchivedBatch:
    """One batch: the attempts it looked at (in id order), and the events it moved."""

    attempts: int
    events: int
    last_attempt_id: UUID | None  # where the next batch carries on; None: nothing was left


class EventArchive(Protocol):
    async def move_finished(
        self, finished_before: datetime, after: UUID | None, limit: int
    ) -> ArchivedBatch:
        """Move the events of up to `limit` attempts, final and last changed before
        `finished_before`, with ids after `after`, out of the live events table into the
        archive (readers see both); uncommitted until the transaction commits."""
        ...

    async def reclaim(self) -> None:
        """Make the space the moved events held reusable now and plan with both tables'
        new sizes (VACUUM ANALYZE of the live table and the archive). Left to autovacuum,
        which is throttled, that work ran for minutes beside live traffic, and every start
        meanwhile cost about a third more (docs/benchmarks.md, "Flat cost as data grows").
        Outside any transaction: call it with none in progress."""
        ...
