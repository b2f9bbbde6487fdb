from __future__ import annotations

from application.policy import TimingPolicy
from application.ports import DeadlineIndex, InProgressDeadlines


class RefillDeadlineIndex:
    """Schedule every attempt in progress again, from PostgreSQL: after Redis came back
    from an outage or restarted, its deadline index may have lost attempts that no start
    or time change will schedule again, and only the slower reconciliation would find
    them. Idempotent: an attempt already scheduled keeps its place."""

    def __init__(
        self, deadlines: InProgressDeadlines, index: DeadlineIndex, policy: TimingPolicy
    ) -> None:
        self._deadlines = deadlines
        self._index = index
        self._policy = policy

    async def __call__(self) -> int:
        """How many attempts were scheduled (0 when the index is unreachable)."""
        entries = await self._deadlines.overdue_times(self._policy.network_grace)
        return await self._index.schedule_all(entries)
