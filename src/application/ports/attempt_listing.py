from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.attempt import LiveAttempt
from domain.result import AttemptStatus


@dataclass(frozen=True, slots=True)
class AttemptListPosition:
    """Where a page of attempts ends: the last attempt's start, then its id."""

    started_at: datetime
    attempt_id: UUID

    @classmethod
    def of(cls, attempt: LiveAttempt) -> AttemptListPosition:
        return cls(attempt.timer.started_at, attempt.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptFilter:
    """Which of an exam's attempts to list; None lists them all."""

    status: AttemptStatus | None = None
    candidate_id: str | None = None


class AttemptListing(Protocol):
    """Attempts as listed: their standing and result, never their answers, so a page costs
    the same whatever the exam's length. Pages are keyset ranges, not offsets."""

    async def of_exam(
        self,
        exam_id: UUID,
        matching: AttemptFilter,
        *,
        after: AttemptListPosition | None,
        limit: int,
    ) -> list[LiveAttempt]:
        """Up to `limit` of the exam's attempts, oldest start first, after `after`."""
        ...

    async def of_candidate(
        self, candidate_id: str, *, before: AttemptListPosition | None, limit: int
    ) -> list[LiveAttempt]:
        """Up to `limit` of the candidate's attempts at any exam, newest start first,
        from the one before `before` (None: the newest)."""
        ...
