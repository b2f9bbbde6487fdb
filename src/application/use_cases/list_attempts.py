"""Pages of attempts: an exam's for an admin, a candidate's own for that candidate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin, ensure_candidate
from application.ports import Clock, ExamRepository
from application.ports.attempt_listing import AttemptFilter, AttemptListing, AttemptListPosition
from domain.attempt import LiveAttempt


@dataclass(frozen=True, slots=True, kw_only=True)
class ExamAttemptsQuery:
    actor: Actor
    exam_id: UUID
    matching: AttemptFilter
    after: AttemptListPosition | None = None
    limit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MyAttemptsQuery:
    actor: Actor
    before: AttemptListPosition | None = None
    limit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptPage:
    """A page as of `server_time` (remaining times are counted from it); `next_position`
    is where the following page starts, None on the last."""

    attempts: list[LiveAttempt]
    next_position: AttemptListPosition | None
    server_time: datetime


class ListExamAttempts:
    """An admin lists an exam's attempts, oldest start first, filtered by status or
    candidate. Attempts started while paging appear on later pages, never twice."""

    def __init__(self, listing: AttemptListing, exams: ExamRepository, clock: Clock) -> None:
        self._listing = listing
        self._exams = exams
        self._clock = clock

    async def __call__(self, query: ExamAttemptsQuery) -> AttemptPage:
        ensure_admin(query.actor)
        if await self._exams.get(query.exam_id) is None:
            raise ExamNotFound()
        # One more than asked says whether another page follows, without a count.
        found = await self._listing.of_exam(
            query.exam_id, query.matching, after=query.after, limit=query.limit + 1
        )
        return _page(found, query.limit, self._clock.now())


class ListMyAttempts:
    """A candidate lists their own attempts at every exam, newest first."""

    def __init__(self, listing: AttemptListing, clock: Clock) -> None:
        self._listing = listing
        self._clock = clock

    async def __call__(self, query: MyAttemptsQuery) -> AttemptPage:
        ensure_candidate(query.actor)
        found = await self._listing.of_candidate(
            query.actor.user_id, before=query.before, limit=query.limit + 1
        )
        return _page(found, query.limit, self._clock.now())


def _page(found: list[LiveAttempt], limit: int, now: datetime) -> AttemptPage:
    shown = found[:limit]
    more = len(found) > limit
    return AttemptPage(
        attempts=shown,
        next_position=AttemptListPosition.of(shown[-1]) if more else None,
        server_time=now,
    )
