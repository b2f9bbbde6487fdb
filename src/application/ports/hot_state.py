from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from domain.live_attempt import LiveAttempt


class HotStateStore(Protocol):
    """A fast, lossy copy of attempts in progress (Redis).

    It holds an attempt's standing (status, timer, version), never answers or correct
    keys: what it gives back is a `LiveAttempt`, which has no answer sheet and so cannot
    be scored or finalised. Losing it loses nothing; every read may miss, and adapters
    swallow their own outages (a miss, a no-op) so the service keeps working from the
    durable store.
    """

    async def get(self, attempt_id: UUID) -> LiveAttempt | None:
        """The attempt's standing, a copy of the caller's own; None on a miss or an outage."""
        ...

    async def put(self, attempt: LiveAttempt) -> bool:
        """Cache the attempt's standing (of an `Attempt`, only that part) until shortly after
        it would expire; never lowers a cached version. True if the store now holds this
        standing; False if it kept a newer one, refused a final attempt's, or is away."""
        ...

    async def put_all(self, attempts: Sequence[LiveAttempt]) -> None:
        """`put` for a batch (an exam-wide change), in as few round trips as the store
        allows; each attempt is judged on its own (version, tombstone)."""
        ...

    async def forget(self, attempt_id: UUID) -> None:
        """Drop the attempt once it is final, and refuse a stale `put` of it for a while."""
        ...

    async def forget_all(self, attempt_ids: Sequence[UUID]) -> None:
        """`forget` for a batch of final attempts, in one round trip."""
        ...

    async def stats(self) -> dict[str, object]:
        """Memory and key figures of the hot-state server, for operators ({} when unknown)."""
        ...
