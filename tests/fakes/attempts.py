"""Attempts and their audit trail kept in memory, like the PostgreSQL adapter keeps rows."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from application.errors import ActiveAttemptExists
from application.ports import (
    AnswerWrites,
    AppliedAnswer,
    Attempts,
    AuditTrail,
    CommittedAttempts,
    OverdueAttempts,
    StaleVersion,
)
from domain.attempt import AnswerChange, Attempt
from domain.events import AttemptEvent
from domain.responses import ResponseChange
from domain.result import AttemptStatus
from tests.fakes.transaction import FakeTransaction


@dataclass
class Row:
    attempt: Attempt
    number: int


@dataclass
class AttemptStore:
    """The committed rows and events, shared by every repository (session) over them."""

    rows: dict[UUID, Row] = field(default_factory=dict)
    events: dict[UUID, list[AttemptEvent]] = field(default_factory=dict)
    # Row locks: attempt id → the session (repository) holding it, and an event set on release.
    locks: dict[UUID, tuple[object, asyncio.Event]] = field(default_factory=dict)


# A waiter gives up like PostgreSQL with lock_timeout set; in one event loop a lock holder
# that waits for its waiter (an `interleave`) would otherwise hang the test.
LOCK_TIMEOUT_SECONDS = 1.0


class LockTimeout(Exception):
    """Waited too long for a row lock another session holds."""


class InMemoryAttempts(Attempts, AnswerWrites, OverdueAttempts, AuditTrail):
    """The four attempt ports over one in-memory session, as the SQL adapters share the
    unit's session: rows, staged writes and row locks are common to all four.

    Keeps deep copies of rows; writes are staged in the transaction until it commits.

    Reads through this repository see its own staged writes (one session); other
    repositories over the same `store` see committed rows only. `interleave`, when set,
    runs once just before the next write, to play a concurrent request at that moment.

    Row locks (`get_for_update`, `lock_overdue`) are shared through the store and held
    until this session's transaction ends: `get_for_update` waits for another session's
    lock, `lock_overdue` skips locked rows (FOR UPDATE SKIP LOCKED).
    """

    def __init__(self, transaction: FakeTransaction, store: AttemptStore | None = None) -> None:
        self.store = store if store is not None else AttemptStore()
        self.interleave: Callable[[], Awaitable[None]] | None = None
        self._transaction = transaction
        self._rows: dict[UUID, Row] = {}
        self._events: dict[UUID, list[AttemptEvent]] = {}

    async def add(self, attempt: Attempt, *, number: int) -> None:
        await self._before_write()
        if self._row(attempt.id) is not None:
            raise ValueError(f"attempt {attempt.id} exists already")
        row = Row(attempt=_copy(attempt), number=number)
        _ensure_unique(row, self._visible_rows())
        self._stage(row, attempt.pending_events)
        attempt.pending_events.clear()

    async def get(self, attempt_id: UUID) -> Attempt | None:
        row = self._row(attempt_id)
        return None if row is None else _copy(row.attempt)

    async def get_for_update(self, attempt_id: UUID) -> Attempt | None:
        if self._row(attempt_id) is not None:
            await self._wait_for_lock(attempt_id)
            self._lock(attempt_id)
        return await self.get(attempt_id)

    async def find_in_progress(self, exam_id: UUID, candidate_id: str) -> Attempt | None:
        for row in self._visible_rows().values():
            attempt = row.attempt
            if _same_sitting(attempt, exam_id, candidate_id) and not attempt.is_final:
                return _copy(attempt)
        return None

    async def count_for_candidate(self, exam_id: UUID, candidate_id: str) -> int:
        rows = self._visible_rows().values()
        return sum(1 for row in rows if _same_sitting(row.attempt, exam_id, candidate_id))

    async def apply_answer(
        self, change: AnswerChange, *, answers_close_after: datetime
    ) -> AppliedAnswer | StaleVersion | None:
        """Autocommitted, like the real write: durable at once, whatever the session does."""
        await self._before_write()
        row = self.store.rows.get(change.attempt_id)
        if row is None:
            return None
        stored = row.attempt
        if (
            stored.status is not AttemptStatus.IN_PROGRESS
            or stored.timer.is_paused
            or not stored.timer.deadline > answers_close_after
            or not _section_takes(stored, change.question_id, answers_close_after)
        ):
            return None
        if change.expected_version is not None and stored.version != change.expected_version:
            return StaleVersion(current_version=stored.version)
        updated = _copy(stored)
        # The aggregate applies it and marks it late against the deadline it holds, as
        # the SQL write does against the stored one.
        event = updated.apply_answer(change).event
        updated.pending_events.clear()
        self.store.rows[updated.id] = Row(attempt=updated, number=row.number)
        self.store.events.setdefault(updated.id, []).append(copy.deepcopy(event))
        deadline, late = stored.timer.deadline, bool(event.data.get("late"))
        return AppliedAnswer(version=updated.version, deadline=deadline, late=late)

    async def apply_response(
        self, change: ResponseChange, *, answers_close_after: datetime, responses_before: int
    ) -> int | None:
        """Autocommitted, like the real write: durable at once, whatever the session does."""
        await self._before_write()
        row = self.store.rows.get(change.attempt_id)
        if row is None:
            return None
        stored = row.attempt
        if (
            stored.status is not AttemptStatus.IN_PROGRESS
            or stored.timer.is_paused
            or not stored.timer.deadline > answers_close_after
            or (change.expected_version is not None and stored.version != change.expected_version)
            or len(stored.responses) != responses_before
        ):
            return None
        updated = _copy(stored)
        event = updated.apply_response(change).event
        updated.pending_events.clear()
        self.store.rows[updated.id] = Row(attempt=updated, number=row.number)
        self.store.events.setdefault(updated.id, []).append(copy.deepcopy(event))
        return updated.version

    async def update_all(self, attempts: Sequence[Attempt]) -> None:
        for attempt in attempts:
            await self.update(attempt)

    async def update(self, attempt: Attempt) -> None:
        await self._before_write()
        row = self._row(attempt.id)
        if row is None:
            raise LookupError(f"attempt {attempt.id} was never added")
        self._stage(Row(attempt=_copy(attempt), number=row.number), attempt.pending_events)
        attempt.pending_events.clear()  # appended, as the SQL adapter clears them

    async def append_events(self, attempt: Attempt) -> None:
        if self._row(attempt.id) is None:
            raise LookupError(f"attempt {attempt.id} was never added")
        self._stage(None, attempt.pending_events, attempt_id=attempt.id)
        attempt.pending_events.clear()

    async def lock_overdue(
        self,
        now: datetime,
        network_grace: timedelta,
        limit: int,
        *,
        among: Sequence[UUID] | None = None,
    ) -> list[Attempt]:
        wanted = None if among is None else set(among)
        free = [
            row
            for row in self._overdue(now, network_grace)
            if (wanted is None or row.attempt.id in wanted)
            and self._lock_holder(row.attempt.id) in (None, self)
        ][:limit]
        for row in free:
            self._lock(row.attempt.id)
        return [_copy(row.attempt) for row in free]

    async def overdue_ids(
        self, now: datetime, network_grace: timedelta, *, limit: int
    ) -> list[UUID]:
        return [row.attempt.id for row in self._overdue(now, network_grace)][:limit]

    async def count_in_progress(self) -> int:
        return sum(1 for row in self._visible_rows().values() if not row.attempt.is_final)

    def locked_by_others(self) -> set[UUID]:
        """Ids whose row lock another session holds (for asserts)."""
        return {
            attempt_id for attempt_id, (holder, _) in self.store.locks.items() if holder is not self
        }

    async def events(self, attempt_id: UUID) -> list[AttemptEvent]:
        events = [*self.store.events.get(attempt_id, []), *self._events.get(attempt_id, [])]
        return copy.deepcopy(events)

    # Transaction participant.

    def check_staged(self) -> None:
        committed = self.store.rows
        for row in self._rows.values():
            _ensure_unique(row, committed)

    def publish_staged(self) -> None:
        self.store.rows.update(self._rows)
        for attempt_id, events in self._events.items():
            self.store.events.setdefault(attempt_id, []).extend(events)
        self.drop_staged()

    def drop_staged(self) -> None:
        self._rows.clear()
        self._events.clear()
        self._release_locks()

    # Helpers.

    def _row(self, attempt_id: UUID) -> Row | None:
        return self._rows.get(attempt_id) or self.store.rows.get(attempt_id)

    def _visible_rows(self) -> dict[UUID, Row]:
        return {**self.store.rows, **self._rows}

    def _stage(
        self, row: Row | None, events: list[AttemptEvent], *, attempt_id: UUID | None = None
    ) -> None:
        if row is not None:
            self._rows[row.attempt.id] = row
            attempt_id = row.attempt.id
        assert attempt_id is not None
        self._events.setdefault(attempt_id, []).extend(copy.deepcopy(events))
        self._transaction.join(self)

    def _overdue(self, now: datetime, network_grace: timedelta) -> list[Row]:
        """Rows in progress whose time ran out at `now`, earliest overdue first."""
        overdue: list[tuple[datetime, str, Row]] = []
        for row in self._visible_rows().values():
            # Its expiry, or its running section's end by the clock (as the SQL query).
            overdue_at = row.attempt.due_at(network_grace)
            if not row.attempt.is_final and overdue_at is not None and overdue_at <= now:
                overdue.append((overdue_at, str(row.attempt.id), row))
        return [row for *_, row in sorted(overdue, key=lambda item: item[:2])]

    def _lock_holder(self, attempt_id: UUID) -> object | None:
        held = self.store.locks.get(attempt_id)
        return None if held is None else held[0]

    async def _wait_for_lock(self, attempt_id: UUID) -> None:
        while (held := self.store.locks.get(attempt_id)) is not None and held[0] is not self:
            try:
                await asyncio.wait_for(held[1].wait(), LOCK_TIMEOUT_SECONDS)
            except TimeoutError:
                raise LockTimeout(
                    f"attempt {attempt_id} stayed locked by another session"
                ) from None

    def _lock(self, attempt_id: UUID) -> None:
        if self._lock_holder(attempt_id) is None:
            self.store.locks[attempt_id] = (self, asyncio.Event())
        self._transaction.join(self)

    def _release_locks(self) -> None:
        for attempt_id, (holder, released) in list(self.store.locks.items()):
            if holder is self:
                del self.store.locks[attempt_id]
                released.set()

    async def _before_write(self) -> None:
        interleave, self.interleave = self.interleave, None
        if interleave is not None:
            await interleave()


def _copy(attempt: Attempt) -> Attempt:
    """A deep copy as a fresh read from storage returns it: no pending events."""
    duplicate = copy.deepcopy(attempt)
    duplicate.pending_events = []
    return duplicate


def _same_sitting(attempt: Attempt, exam_id: UUID, candidate_id: str) -> bool:
    return attempt.exam_id == exam_id and attempt.candidate_id == candidate_id


def _ensure_unique(row: Row, rows: dict[UUID, Row]) -> None:
    """The two unique indexes: one attempt in progress, and one row per attempt number."""
    mine = row.attempt
    for other in rows.values():
        theirs = other.attempt
        if theirs.id == mine.id or not _same_sitting(theirs, mine.exam_id, mine.candidate_id):
            continue
        if other.number == row.number or not (theirs.is_final or mine.is_final):
            raise ActiveAttemptExists()


def _section_takes(attempt: Attempt, question_id: str, answers_close_after: datetime) -> bool:
    """The SQL write's section conditions: the question is open, its section's time not up."""
    if attempt.sections is None:
        return True
    deadline = attempt.sections.stored_deadline(attempt.timer)
    in_time = deadline is None or deadline > answers_close_after
    return question_id in attempt.sections.open_questions() and in_time


class InMemoryCommittedAttempts(CommittedAttempts):
    """The committed rows alone, as the asyncpg read on a connection of its own sees them."""

    def __init__(self, store: AttemptStore) -> None:
        self._store = store

    async def get(self, attempt_id: UUID) -> Attempt | None:
        row = self._store.rows.get(attempt_id)
        return None if row is None else _copy(row.attempt)
