from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from domain.attempt import AnswerChange, Attempt
from domain.events import AttemptEvent
from domain.responses import ResponseChange


@dataclass(frozen=True, slots=True)
class AppliedAnswer:
    """What PostgreSQL says of an applied answer change: the attempt's new version, its
    deadline as stored, and whether the change came in after it (within the network grace)."""

    version: int
    deadline: datetime
    late: bool


@dataclass(frozen=True, slots=True)
class StaleVersion:
    """An answer change refused only because the attempt is at another version than the
    change expected: it is in progress, not paused and still taking answers."""

    current_version: int


class AttemptRepository(Protocol):
    """Attempts and their audit trail in the durable store, the source of truth.

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

    async def find_in_progress(self, exam_id: UUID, candidate_id: str) -> Attempt | None:
        """The candidate's attempt in progress at this exam, if any."""
        ...

    async def count_for_candidate(self, exam_id: UUID, candidate_id: str) -> int:
        """How many attempts the candidate has started at this exam."""
        ...

    async def apply_answer(
        self, change: AnswerChange, *, answers_close_after: datetime
    ) -> AppliedAnswer | StaleVersion | None:
        """Apply one answer change and append its event, durably, if the store agrees.

        The store is the final arbiter: the change applies only while the attempt is in
        progress, not paused, its deadline is after `answers_close_after`, and (when the
        change carries one) its version equals `expected_version`. It is durable when this
        returns, whatever the surrounding transaction does. Returns what was applied;
        `StaleVersion` when only the version kept it out (so the caller can answer the
        conflict without reading the attempt); None when another condition failed.
        """
        ...

    async def apply_response(
        self, change: ResponseChange, *, answers_close_after: datetime, responses_before: int
    ) -> int | None:
        """Append one adaptive response (also set as the item's answer) and its event, if the
        store agrees it is allowed.

        The same conditions as `apply_answer`, and the attempt must hold exactly
        `responses_before` responses: the engine chose the item from those, so a concurrent
        response to the same item matches nothing. Durable when this returns, whatever the
        surrounding transaction does. Returns the new version, or None.
        """
        ...

    async def update(self, attempt: Attempt) -> None:
        """Write back an attempt read with `get_for_update` and append its pending events."""
        ...

    async def update_all(self, attempts: Sequence[Attempt]) -> None:
        """`update` for a batch (the sweeper's): the same writes in two statements in all."""
        ...

    async def append_events(self, attempt: Attempt) -> None:
        """Append the attempt's pending events without changing the attempt itself."""
        ...

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

    async def count_in_progress(self) -> int:
        """How many attempts are in progress."""
        ...

    async def events(self, attempt_id: UUID) -> list[AttemptEvent]:
        """The attempt's audit trail, oldest first."""
        ...
