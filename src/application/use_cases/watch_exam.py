"""An admin (a proctor's page) follows every attempt of an exam live."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import (
    AttemptUpdate,
    Clock,
    ExamRepository,
    LiveUpdates,
    Transaction,
    UpdateKind,
)
from application.ports.exam_board import BoardRow, ExamBoard
from domain.result import AttemptStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptLine:
    """One attempt's line on the proctor's board, as of `server_time`."""

    attempt_id: UUID
    candidate_id: str
    status: AttemptStatus
    answered: int
    remaining: timedelta
    deadline: datetime
    paused: bool
    server_time: datetime
    score: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExamStreamSettings:
    tick: timedelta = timedelta(seconds=1)
    # Answers publish nothing (the save path stays as cheap as it is): counts are re-read.
    reread_every_ticks: int = 2
    heartbeat_every_ticks: int = 15


@dataclass(frozen=True, slots=True, kw_only=True)
class Heartbeat:
    server_time: datetime


class WatchExam:
    """The exam's attempts: every line first, then each line that changed (started,
    answered count, time moved, paused, finalised), and a heartbeat when all is quiet.

    A live update of any of the exam's attempts (time control, a finalisation) re-reads
    the board at the next tick, as does a resync (updates may have been lost); answered
    counts are re-read every few ticks.
    """

    def __init__(
        self,
        exams: ExamRepository,
        board: ExamBoard,
        live_updates: LiveUpdates,
        transaction: Transaction,
        clock: Clock,
        settings: ExamStreamSettings,
    ) -> None:
        self._exams = exams
        self._board = board
        self._live_updates = live_updates
        self._transaction = transaction
        self._clock = clock
        self._settings = settings

    async def open(self, actor: Actor, exam_id: UUID) -> AsyncIterator[AttemptLine | Heartbeat]:
        """Check access now (refusals are plain HTTP errors), then stream."""
        ensure_admin(actor)
        try:
            if await self._exams.get(exam_id) is None:
                raise ExamNotFound()
        finally:
            await self._transaction.rollback()
        return self._lines(exam_id)

    async def _read(self, exam_id: UUID) -> list[BoardRow]:
        try:  # a stream must not hold a pooled connection between reads
            return await self._board.of_exam(exam_id)
        finally:
            await self._transaction.rollback()

    async def _lines(self, exam_id: UUID) -> AsyncIterator[AttemptLine | Heartbeat]:
        shown: dict[UUID, tuple[object, ...]] = {}
        quiet = 0
        ticks = 0
        async with self._live_updates.watch_every() as updates:
            pending: asyncio.Task[AttemptUpdate] | None = None
            try:
                while True:
                    changed = self._changed(await self._read(exam_id), shown)
                    for line in changed:
                        yield line
                    quiet = 0 if changed else quiet + 1
                    if quiet >= self._settings.heartbeat_every_ticks:
                        quiet = 0
                        yield Heartbeat(server_time=self._clock.now())
                    # Wait for a tick to pass, or for a change of one of the exam's attempts.
                    ticks, pending = await self._wait(ticks, pending, updates, shown)
            finally:
                if pending is not None:
                    pending.cancel()

    async def _wait(
        self,
        ticks: int,
        pending: asyncio.Task[AttemptUpdate] | None,
        updates: AsyncIterator[AttemptUpdate],
        shown: dict[UUID, tuple[object, ...]],
    ) -> tuple[int, asyncio.Task[AttemptUpdate] | None]:
        tick = self._settings.tick.total_seconds()
        loop = asyncio.get_running_loop()
        # Each tick ends at a time fixed when it starts: updates of other exams' attempts
        # (another exam's mass expiry) must not put off this board's re-reads and heartbeats.
        tick_ends = loop.time()
        while True:
            tick_ends += tick
            while (left := tick_ends - loop.time()) > 0:
                pending = pending or asyncio.ensure_future(anext(updates))
                done, _ = await asyncio.wait({pending}, timeout=left)
                if not done:
                    break
                update, pending = pending.result(), None
                # A resync: updates may have been lost, so re-read now, not in a few ticks.
                if update.kind is UpdateKind.RESYNC:
                    return ticks, None
                if update.attempt_id in shown:
                    await asyncio.sleep(tick / 10)  # an exam-wide change comes as a burst
                    return ticks, None
            ticks += 1
            if ticks % self._settings.reread_every_ticks == 0:
                return ticks, pending

    def _changed(
        self, rows: list[BoardRow], shown: dict[UUID, tuple[object, ...]]
    ) -> list[AttemptLine]:
        now = self._clock.now()
        lines = []
        for row in rows:
            attempt = row.attempt
            timer = attempt.timer
            # The remaining time counts down on the page; only a moved deadline is news.
            state = (attempt.status, row.answered, timer.deadline, timer.is_paused)
            if shown.get(attempt.id) == state:
                continue
            shown[attempt.id] = state
            lines.append(
                AttemptLine(
                    attempt_id=attempt.id,
                    candidate_id=attempt.candidate_id,
                    status=attempt.status,
                    answered=row.answered,
                    remaining=timedelta(0) if attempt.is_final else timer.remaining(now),
                    deadline=timer.deadline_at(now),
                    paused=timer.is_paused,
                    server_time=now,
                    score=None if attempt.result is None else attempt.result.score,
                )
            )
        return lines
