"""Proficiency estimates in their table: one row per finalised adaptive attempt."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import distinct_on, insert

from application.ports.proficiencies import Proficiencies
from domain.proficiency import ProficiencyEstimate
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import ProficiencyEstimateRow
from infrastructure.postgres.sessions import SessionSource

_COLUMNS = (
    ProficiencyEstimateRow.attempt_id,
    ProficiencyEstimateRow.candidate_id,
    ProficiencyEstimateRow.exam_id,
    ProficiencyEstimateRow.theta,
    ProficiencyEstimateRow.se,
    ProficiencyEstimateRow.updated_at,
)


class SqlProficiencies:
    """Writes go through the unit of work's session, so they commit with the finalisation."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def record_all(self, estimates: Sequence[ProficiencyEstimate]) -> None:
        if not estimates:
            return
        statement = insert(ProficiencyEstimateRow).values(
            [
                {
                    "attempt_id": e.attempt_id, "candidate_id": e.candidate_id,
                    "exam_id": e.exam_id, "theta": e.theta, "se": e.se,
                    "updated_at": e.updated_at,
                }
                for e in estimates
            ]
        )  # fmt: skip
        excluded = statement.excluded
        await self._sessions.current.execute(
            statement.on_conflict_do_update(
                index_elements=[ProficiencyEstimateRow.attempt_id],
                set_={"theta": excluded.theta, "se": excluded.se,
                      "updated_at": excluded.updated_at},
            )
        )  # fmt: skip

    @translate_errors
    async def latest_per_exam(self, candidate_id: str) -> list[ProficiencyEstimate]:
        latest = (
            select(*_COLUMNS)
            .where(ProficiencyEstimateRow.candidate_id == candidate_id)
            .ext(distinct_on(ProficiencyEstimateRow.exam_id))
            .order_by(
                ProficiencyEstimateRow.exam_id,
                ProficiencyEstimateRow.updated_at.desc(),
                ProficiencyEstimateRow.attempt_id.desc(),
            )
            .subquery()
        )
        rows = await self._sessions.current.execute(
            select(latest).order_by(latest.c.updated_at.desc(), latest.c.attempt_id.desc())
        )
        return [_estimate(row) for row in rows]

    @translate_errors
    async def latest_before(
        self, candidate_id: str, exam_id: UUID, *, before: datetime, excluding: UUID
    ) -> ProficiencyEstimate | None:
        rows = await self._sessions.current.execute(
            select(*_COLUMNS)
            .where(
                ProficiencyEstimateRow.candidate_id == candidate_id,
                ProficiencyEstimateRow.exam_id == exam_id,
                ProficiencyEstimateRow.updated_at <= before,
                ProficiencyEstimateRow.attempt_id != excluding,
            )
            .order_by(
                ProficiencyEstimateRow.updated_at.desc(), ProficiencyEstimateRow.attempt_id.desc()
            )
            .limit(1)
        )
        row = rows.first()
        return None if row is None else _estimate(row)


def _estimate(row: Row[UUID, str, UUID, float, float, datetime]) -> ProficiencyEstimate:
    attempt_id, candidate_id, exam_id, theta, se, updated_at = row
    return ProficiencyEstimate(
        attempt_id=attempt_id, candidate_id=candidate_id, exam_id=exam_id,
        theta=theta, se=se, updated_at=updated_at,
    )  # fmt: skip


_: type[Proficiencies] = SqlProficiencies
