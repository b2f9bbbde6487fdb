"""Accommodations in PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from application.ports import AccommodationRepository, CandidateAccommodation
from domain.accommodation import Accommodation
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AccommodationRow
from infrastructure.postgres.session_repository import SessionRepository


class SqlAccommodationRepository(SessionRepository):
    """One row per exam and candidate; setting one again replaces it."""

    @translate_errors
    async def put(self, exam_id: UUID, candidate_id: str, accommodation: Accommodation) -> None:
        values = {
            "time_multiplier": accommodation.time_multiplier,
            "extra_seconds": accommodation.extra_time.total_seconds(),
            "reason": accommodation.reason,
            "opens_at": accommodation.opens_at,
            "closes_at": accommodation.closes_at,
            "extra_attempts": accommodation.extra_attempts,
            "updated_at": func.now(),
        }
        statement = insert(AccommodationRow).values(
            exam_id=exam_id, candidate_id=candidate_id, **values
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[AccommodationRow.exam_id, AccommodationRow.candidate_id],
                set_=values,
            )
        )

    @translate_errors
    async def get(self, exam_id: UUID, candidate_id: str) -> Accommodation | None:
        row = await self._session.scalar(
            select(AccommodationRow).where(
                AccommodationRow.exam_id == exam_id, AccommodationRow.candidate_id == candidate_id
            )
        )
        return None if row is None else _accommodation(row)

    @translate_errors
    async def list(self, exam_id: UUID) -> list[CandidateAccommodation]:
        rows = await self._session.scalars(
            select(AccommodationRow)
            .where(AccommodationRow.exam_id == exam_id)
            # Code-point order whatever the database's collation, so every deployment (and
            # the in-memory fake) lists candidates alike.
            .order_by(AccommodationRow.candidate_id.collate("C"))
        )
        return [
            CandidateAccommodation(candidate_id=row.candidate_id, accommodation=_accommodation(row))
            for row in rows
        ]


def _accommodation(row: AccommodationRow) -> Accommodation:
    return Accommodation(
        time_multiplier=row.time_multiplier,
        extra_time=timedelta(seconds=row.extra_seconds),
        reason=row.reason,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        extra_attempts=row.extra_attempts,
    )


_: type[AccommodationRepository] = SqlAccommodationRepository
