"""Regrades in their table, and an exam's final attempts rescored as a set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import insert, select

from application.ports.exam_regrades import ExamRegrades, FinalAttemptsToRescore
from domain.attempt import Attempt
from domain.regrade import Regrade
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_mapping import changed_columns
from infrastructure.postgres.attempt_reads import (
    append_pending_events_of_all,
    read_attempts,
    select_attempts,
)
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow, ExamRegradeRow
from infrastructure.postgres.sessions import SessionSource


class SqlExamRegrades:
    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def of_exam(self, exam_id: UUID) -> list[Regrade]:
        rows = await self._sessions.current.execute(
            select(ExamRegradeRow.question_id, ExamRegradeRow.correct_keys,
                   ExamRegradeRow.full_credit)
            .where(ExamRegradeRow.exam_id == exam_id)
            .order_by(ExamRegradeRow.id)
        )  # fmt: skip
        return [
            Regrade(
                question_id=question_id,
                correct_keys=None if keys is None else frozenset(keys),
                full_credit=full_credit,
            )
            for question_id, keys, full_credit in rows
        ]

    @translate_errors
    async def add(
        self, exam_id: UUID, regrade: Regrade, *, reason: str, by: str, at: datetime
    ) -> None:
        keys = None if regrade.correct_keys is None else sorted(regrade.correct_keys)
        await self._sessions.current.execute(
            insert(ExamRegradeRow).values(
                exam_id=exam_id, question_id=regrade.question_id, correct_keys=keys,
                full_credit=regrade.full_credit, reason=reason, regraded_by=by, regraded_at=at,
            )
        )  # fmt: skip


class SqlFinalAttemptsToRescore:
    """One SELECT … FOR UPDATE, one UPDATE of every result, one INSERT of every event (with
    its outbox row)."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def lock_final(self, exam_id: UUID) -> list[Attempt]:
        session = self._sessions.current
        result = await session.scalars(
            select_attempts()
            .where(
                AttemptRow.exam_id == exam_id,
                AttemptRow.status != AttemptStatus.IN_PROGRESS.value,
            )
            # Id order, as every multi-row lock here, so bulk changes queue, not deadlock.
            .order_by(AttemptRow.id)
            .with_for_update()
        )
        return await read_attempts(session, list(result))

    @translate_errors
    async def write_results(self, attempts: Sequence[Attempt]) -> None:
        if not attempts:
            return
        connection = await self._sessions.current.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.execute(
            _UPDATE_RESULTS,
            [attempt.id for attempt in attempts],
            [_json(changed_columns(attempt, at=_at(attempt))["result"]) for attempt in attempts],
            [attempt.version for attempt in attempts],
            [_at(attempt) for attempt in attempts],
        )
        # A rescore is a platform event: audited and in the outbox, in one statement.
        await append_pending_events_of_all(self._sessions.current, attempts)


_UPDATE_RESULTS = """
UPDATE attempts AS a
SET result = v.result, version = v.version, updated_at = v.updated_at
FROM unnest($1::uuid[], $2::jsonb[], $3::int[], $4::timestamptz[])
     AS v(id, result, version, updated_at)
WHERE a.id = v.id
"""


def _at(attempt: Attempt) -> datetime:
    return attempt.pending_events[-1].at if attempt.pending_events else attempt.timer.started_at


def _json(data: Mapping[str, object] | None) -> str:
    return msgspec.json.encode(data).decode()


_: type[ExamRegrades] = SqlExamRegrades
__: type[FinalAttemptsToRescore] = SqlFinalAttemptsToRescore
