"""An exam's final attempts streamed from a server-side cursor, a batch at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from fractions import Fraction
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports.final_results import FinalAttempt, FinalResults
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_mapping import to_result
from infrastructure.postgres.errors import storage_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.section_documents import to_progress


class SqlFinalResults:
    """Its own session per export: the response streams after the request's unit of work
    has ended, and a cursor must live in one transaction from first row to last."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def of_exam(
        self, exam_id: UUID, *, batch_size: int
    ) -> AsyncIterator[Sequence[FinalAttempt]]:
        statement = (
            select(
                AttemptRow.id,
                AttemptRow.candidate_id,
                AttemptRow.result,
                AttemptRow.answers,
                AttemptRow.sections,
                AttemptRow.awarded,
            )
            .where(
                AttemptRow.exam_id == exam_id,
                AttemptRow.status != AttemptStatus.IN_PROGRESS.value,
            )
            .order_by(AttemptRow.started_at, AttemptRow.id)
            .execution_options(yield_per=batch_size)
        )
        with storage_errors():
            async with self._sessionmaker() as session:
                rows = await session.stream(statement)
                async for batch in rows.partitions(batch_size):
                    yield [
                        FinalAttempt(
                            attempt_id=attempt_id,
                            candidate_id=candidate_id,
                            result=to_result(result),
                            answers=answers,
                            given=_given(sections),
                            awarded=_awarded(awarded),
                        )
                        for attempt_id, candidate_id, result, answers, sections, awarded in batch
                    ]


def _given(sections: list[dict[str, Any]] | None) -> tuple[str, ...] | None:
    progress = to_progress(sections)
    return None if progress is None else progress.question_ids()


def _awarded(document: dict[str, dict[str, Any]] | None) -> dict[str, Fraction] | None:
    # As attempt_mapping stores a scorer's points (an exact fraction's text).
    return {qid: Fraction(data["points"]) for qid, data in (document or {}).items()} or None


_: type[FinalResults] = SqlFinalResults
