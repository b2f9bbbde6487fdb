from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepReport:
    """One sweeper pass: what it finalised and how late."""

    started_at: datetime
    finished_at: datetime
    expired: tuple[UUID, ...] = ()
    # Per attempt expired, then per section finished (in the order of `expired` followed by
    # `sections_finished`): due (Attempt.due_at) → committed.
    lags_seconds: tuple[float, ...] = ()
    # Attempts whose running section the clock finished (the attempt still running).
    sections_finished: tuple[UUID, ...] = ()
    due: tuple[UUID, ...] = ()  # a dry run's overdue attempts, left unchanged
    dry_run: bool = False
    sources: tuple[str, ...] = ()

    @property
    def max_lag_seconds(self) -> float:
        return max(self.lags_seconds, default=0.0)


class SweeperLog(Protocol):
    """The latest sweeper pass, shared by every process for the admin's stats."""

    async def record(self, report: SweepReport) -> None:
        """Keep this pass as the latest (and count what it expired)."""
        ...

    async def latest(self) -> dict[str, object]:
        """The latest pass and running totals, as plain values ({} when unknown)."""
        ...
