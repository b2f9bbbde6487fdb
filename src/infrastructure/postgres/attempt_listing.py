"""Attempt listings in PostgreSQL: keyset pages served by the (…, started_at, id) indexes."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import Tuple

from application.ports.attempt_listing import AttemptFilter, AttemptListing, AttemptListPosition
from domain.attempt import LiveAttempt
from infrastructure.postgres.attempt_mapping import to_live_attempt
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.sessions import SessionSource


class SqlAttemptListing:
    """Reads rows without their answer sheets (deferred, never loaded)."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def of_exam(
        self,
        exam_id: UUID,
        matching: AttemptFilter,
        *,
        after: AttemptListPosition | None,
        limit: int,
    ) -> list[LiveAttempt]:
        statement = _listed().where(AttemptRow.exam_id == exam_id)
        if matching.status is not None:
            statement = statement.where(AttemptRow.status == matching.status.value)
        if matching.candidate_id is not None:
            statement = statement.where(AttemptRow.candidate_id == matching.candidate_id)
        if after is not None:
            statement = statement.where(_key() > (after.started_at, after.attempt_id))
        return await self._page(
            statement.order_by(AttemptRow.started_at, AttemptRow.id).limit(limit)
        )

    @translate_errors
    async def of_candidate(
        self, candidate_id: str, *, before: AttemptListPosition | None, limit: int
    ) -> list[LiveAttempt]:
        statement = _listed().where(AttemptRow.candidate_id == candidate_id)
        if before is not None:
            statement = statement.where(_key() < (before.started_at, before.attempt_id))
        order = (AttemptRow.started_at.desc(), AttemptRow.id.desc())
        return await self._page(statement.order_by(*order).limit(limit))

    async def _page(self, statement: Select[AttemptRow]) -> list[LiveAttempt]:
        rows = await self._sessions.current.scalars(statement)
        return [to_live_attempt(row) for row in rows]


def _listed() -> Select[AttemptRow]:
    return (
        select(AttemptRow)
        .options(defer(AttemptRow.answers))
        .execution_options(populate_existing=True)
    )


def _key() -> Tuple:
    # A row comparison, so PostgreSQL ranges over the index in one step.
    return tuple_(AttemptRow.started_at, AttemptRow.id)


_: type[AttemptListing] = SqlAttemptListing
