from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from application.attempt_loader import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.permissions import ensure_can_view
from application.ports import AttemptUpdate, Clock, LiveUpdates, Transaction, UpdateKind
from application.use_cases.read_attempt import AttemptQuery, SectionTime, section_time
from domain.attempt import Attempt, LiveAttempt
from domain.result import AttemptResult, AttemptStatus

TickKind = Literal["remaining", "deadline_changed", "section_changed", "status"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptTick:
    """What a live client is told: the time left, a moved deadline, or the final status."""

    kind: TickKind
    status: AttemptStatus
    remaining: timedelta
    deadline: datetime
    paused: bool
    server_time: datetime
    reason: str | None = None
    result: AttemptResult | None = None
    # The running section's clock, for an attempt with sections.
    section: SectionTime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchSettings:
    # Changes are pushed at once; between them a `remaining` heartbeat this often carries
    # the remaining time and server time, so a client resyncs its own countdown. It is
    # also when the attempt is re-read, in case pub/sub lost a message (or Redis is down).
    heartbeat: timedelta = timedelta(seconds=20)
    # Waking at the overdue instant: a little after, so the wall clock agrees it has come.
    overdue_margin: timedelta = timedelta(milliseconds=20)


class WatchAttempt:
    """The owner or an admin follows an attempt live until it is final.

    Nothing ticks per second: a stream sleeps until a live update of its attempt (a
    deadline change or the final status, from any process), its heartbeat, a resync (the
    live updates may have lost some: it re-reads as at a heartbeat), or the instant its
    time runs out (then it settles the attempt and ends with its status).
    The page counts down on its own clock from the figures it is sent.
    """

    def __init__(
        self,
        loader: AttemptLoader,
        finaliser: AttemptFinaliser,
        live_updates: LiveUpdates,
        transaction: Transaction,
        clock: Clock,
        settings: WatchSettings,
    ) -> None:
        self._transaction = transaction
        self._loader = loader
        self._finaliser = finaliser
        self._live_updates = live_updates
        self._clock = clock
        self._settings = settings

    async def open(self, query: AttemptQuery) -> AsyncIterator[AttemptTick]:
        """Check access now (so refusals are plain HTTP errors), then stream."""
        attempt = await self._loaded(self._loader.live(query.attempt_id))
        ensure_can_view(attempt, query.actor)
        return self._ticks(attempt)

    async def _loaded(self, loading: Awaitable[LiveAttempt]) -> LiveAttempt:
        """Await a read, then end its transaction: a stream must not hold a pooled
        connection for its whole life. (Its reads of PostgreSQL are `committed` ones, which
        open no session; a hot-state miss and settling an overdue attempt may.)"""
        try:
            return await loading
        finally:
            await self._transaction.rollback()

    async def _ticks(self, attempt: LiveAttempt) -> AsyncIterator[AttemptTick]:
        async with self._live_updates.watch(attempt.id) as updates:
            # Read again now that we listen: a change published before the subscription
            # would otherwise wait for the next heartbeat.
            attempt = await self._loaded(self._first_read(attempt))
            pending: asyncio.Task[AttemptUpdate] | None = None
            kind: TickKind = "remaining"
            reason: str | None = None
            try:
                while True:
                    attempt = await self._settle(attempt)
                    if attempt.is_final:
                        final = attempt
                        if attempt.result is None:
                            final = await self._loader.committed(attempt.id)
                        yield self._tick(final, "status", None)
                        return
                    yield self._tick(attempt, kind, reason)
                    pending = pending or asyncio.ensure_future(anext(updates))
                    done, _ = await asyncio.wait({pending}, timeout=self._sleep_seconds(attempt))
                    kind, reason = "remaining", None
                    update = None
                    if done:
                        update, pending = pending.result(), None
                    # A resync (updates may have been missed) re-reads as a heartbeat does.
                    if update is not None and update.kind is not UpdateKind.RESYNC:
                        attempt = await self._loader.committed(attempt.id)
                        kind, reason = _tick_kind(update), update.reason
                    else:
                        fresh = await self._loaded(self._reread(attempt))
                        if _timing(fresh) != _timing(attempt):
                            kind, reason = "deadline_changed", "changed"
                        attempt = fresh
            finally:
                if pending is not None:
                    pending.cancel()

    async def _first_read(self, attempt: LiveAttempt) -> LiveAttempt:
        if (await self._loader.exam_of(attempt)).sections:
            return await self._loader.committed(attempt.id)  # with its sections' clocks
        return await self._loader.live(attempt.id)

    def _reread(self, attempt: LiveAttempt) -> Awaitable[LiveAttempt]:
        # An attempt with sections is re-read whole: hot state holds no section clocks.
        if isinstance(attempt, Attempt) and attempt.sections is not None:
            return self._loader.committed(attempt.id)
        return self._loader.live(attempt.id)

    def _sleep_seconds(self, attempt: LiveAttempt) -> float:
        """Until the next heartbeat, or until the attempt's time runs out if sooner."""
        sleep = self._settings.heartbeat
        overdue_at = self._finaliser.overdue_at(attempt)
        if overdue_at is not None:
            until = overdue_at - self._clock.now()
            if until > timedelta(0):  # already past: the heartbeat, not a busy loop
                sleep = min(sleep, until + self._settings.overdue_margin)
        return sleep.total_seconds()

    async def _settle(self, attempt: LiveAttempt) -> LiveAttempt:
        return await self._loaded(self._finaliser.settle(attempt, self._clock.now()))

    def _tick(self, attempt: LiveAttempt, kind: TickKind, reason: str | None) -> AttemptTick:
        now = self._clock.now()
        timer = attempt.timer
        return AttemptTick(
            kind=kind,
            status=attempt.status,
            remaining=timedelta(0) if attempt.is_final else timer.remaining(now),
            deadline=timer.deadline_at(now),
            paused=timer.is_paused,
            server_time=now,
            reason=reason,
            result=attempt.result,
            section=section_time(attempt, now),
        )


def _timing(attempt: LiveAttempt) -> tuple[object, ...]:
    progress = attempt.sections if isinstance(attempt, Attempt) else None
    current = None if progress is None else progress.current
    section = None if current is None else (current.id, current.position)
    return (attempt.status, attempt.timer.deadline, attempt.timer.is_paused, section)


def _tick_kind(update: AttemptUpdate) -> TickKind:
    if update.kind is UpdateKind.SECTION_CHANGED:
        return "section_changed"
    return "deadline_changed"
