"""Exposure counts of an exam's items, counted by PostgreSQL from `response_recorded` events
(live or archived: the view `every_attempt_event`)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import distinct, func, select

from application.ports.item_exposure import ExposureCounts, ItemExposure
from domain.events import EventKind
from infrastructure.postgres.attempt_reads import EVERY_ATTEMPT_EVENT, events_of
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.sessions import SessionSource


class SqlItemExposure:
    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def of_exam(self, exam_id: UUID) -> ExposureCounts:
        session = self._sessions.current
        attempts = await session.scalar(
            select(func.count())
            .select_from(AttemptRow)
            .where(AttemptRow.exam_id == exam_id, AttemptRow.response_count > 0)
        )
        # Live or archived: archive-events moves finished attempts' responses, and an item
        # given in them was still shown to those candidates.
        event = EVERY_ATTEMPT_EVENT.c
        item = event.data["item_id"].astext
        # One response per item and attempt; DISTINCT keeps the count honest regardless.
        rows = await session.execute(
            select(item, func.count(distinct(event.attempt_id)))
            .where(
                events_of(select(AttemptRow.id).where(AttemptRow.exam_id == exam_id)),
                event.kind == EventKind.RESPONSE_RECORDED.value,
            )
            .group_by(item)
        )
        return ExposureCounts(
            attempts=attempts or 0, administered={str(i): int(n) for i, n in rows.all()}
        )


_: type[ItemExposure] = SqlItemExposure
