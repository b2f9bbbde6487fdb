"""The sweeper's latest pass and running totals, kept in memory."""

from __future__ import annotations

from application.ports import SweeperLog, SweepReport


class InMemorySweeperLog(SweeperLog):
    """Keeps every report it was given (for asserts) and answers like the shared log.

    With `down` set it behaves like an unreachable Redis whose adapter swallows the
    outage: reports are lost (kept in `lost`) and `latest` knows nothing.
    """

    def __init__(self) -> None:
        self.down = False
        self.reports: list[SweepReport] = []
        self.lost: list[SweepReport] = []

    async def record(self, report: SweepReport) -> None:
        if self.down:
            self.lost.append(report)
            return
        self.reports.append(report)

    async def latest(self) -> dict[str, object]:
        if self.down or not self.reports:
            return {}
        last = self.reports[-1]
        return {  # the fields the Redis adapter keeps
            "last_started_at": last.started_at.isoformat(),
            "last_finished_at": last.finished_at.isoformat(),
            "last_duration_seconds": (last.finished_at - last.started_at).total_seconds(),
            "last_expired": len(last.expired),
            "last_max_lag_seconds": last.max_lag_seconds,
            "passes": len(self.reports),
            "total_expired": sum(len(report.expired) for report in self.reports),
        }
