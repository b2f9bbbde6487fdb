from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.accommodation import Accommodation
from domain.attempt import Attempt


@dataclass(frozen=True, slots=True, kw_only=True)
class StartFacts:
    """What a candidate's start is decided on, read together."""

    started_before: int  # attempts the candidate started at the exam, final or not
    in_progress: bool  # one of them is still in progress (a resume, or an overdue one)
    accommodation: Accommodation | None


class AttemptStarts(Protocol):
    """The start's own read and write, each one statement on its own (autocommit): the
    unit of work's transaction is neither used nor needed.

    Every exam's start comes at once (all candidates within seconds), so the path is kept
    to one round trip for a first attempt and two otherwise; the unique indexes on
    attempts stay the arbiter of races.
    """

    async def begin_first(self, attempt: Attempt) -> bool:
        """Insert `attempt` as the candidate's first at the exam, with its pending events
        and their platform events, if the candidate has no attempt there yet and no
        accommodation: True once durable. False, with nothing written, when either exists
        (or another start came first): the start is then decided on its `facts`.
        """
        ...

    async def facts(self, exam_id: UUID, candidate_id: str) -> StartFacts:
        """The candidate's attempts so far and accommodation at the exam."""
        ...

    async def begin(self, attempt: Attempt, *, number: int) -> None:
        """Insert a new attempt (the candidate's `number`-th) with its pending events and
        their platform events; durable when this returns.

        Raises ActiveAttemptExists if the candidate already has one in progress for the
        exam, or another start took the same number first (nothing is written then).
        """
        ...
