from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt


class Attempts(Protocol):
    """Attempt aggregates in the durable store, the source of truth.

    Writes join the current transaction; `Transaction.commit` makes them durable.
    """

    async def add(self, attempt: Attempt, *, number: int) -> None:
        """Insert a new attempt (the candidate's `number`-th at this exam) and its events.

        Raises ActiveAttemptExists if the candidate already has one in progress for the
        exam, or another start took the same number first.
        """
        ...

    async def get(self, attempt_id: UUID) -> Attempt | None:
        """The attempt with its answers, or None."""
        ...

    async def get_for_update(self, attempt_id: UUID) -> Attempt | None:
        """Like `get`, and holds the attempt's row lock until the transaction ends."""
        ...

    async def update(self, attempt: Attempt) -> None:
        """Write back an attempt read with `get_for_update` and append its pending events."""
        ...

    async def find_in_progress(self, exam_id: UUID, candidate_id: str) -> Attempt | None:
        """The candidate's attempt in progress at this exam, if any."""
        ...

    async def count_for_candidate(self, exam_id: UUID, candidate_id: str) -> int:
        """How many attempts the candidate has started at this exam."""
        ...

    async def count_in_progress(self) -> int:
        """How many attempts are in progress."""
        ...
