from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.deadline_changes import DeadlineChanges
from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import (
    AccommodationRepository,
    Attempts,
    CandidateAccommodation,
    ExamRepository,
    Transaction,
)
from domain.accommodation import Accommodation
from domain.attempt import Attempt
from domain.errors import AttemptAlreadyFinal, InvalidAccommodation


@dataclass(frozen=True, slots=True, kw_only=True)
class SetAccommodationCommand:
    actor: Actor
    exam_id: UUID
    candidate_id: str
    accommodation: Accommodation


class SetAccommodation:
    """An admin sets a candidate's accommodation for an exam. It applies to attempts
    started later and, at once, to the candidate's attempt in progress."""

    def __init__(
        self,
        exams: ExamRepository,
        accommodations: AccommodationRepository,
        attempts: Attempts,
        changes: DeadlineChanges,
        transaction: Transaction,
    ) -> None:
        self._exams = exams
        self._accommodations = accommodations
        self._attempts = attempts
        self._changes = changes
        self._transaction = transaction

    async def __call__(self, command: SetAccommodationCommand) -> CandidateAccommodation:
        ensure_admin(command.actor)
        if await self._exams.get(command.exam_id) is None:
            raise ExamNotFound()
        granted = command.accommodation
        await self._accommodations.put(command.exam_id, command.candidate_id, granted)
        await self._transaction.commit()
        current = await self._attempts.find_in_progress(command.exam_id, command.candidate_id)
        if current is not None:

            def accommodate(attempt: Attempt, now: datetime) -> None:
                attempt.accommodate(
                    time_multiplier=granted.time_multiplier,
                    extra_time=granted.extra_time,
                    reason=granted.reason,
                    now=now,
                )

            # If the attempt ended meanwhile, or the accommodation would shorten it, it still
            # holds for later attempts.
            with contextlib.suppress(AttemptAlreadyFinal, InvalidAccommodation):
                await self._changes.apply(current.id, accommodate, "accommodated")
        return CandidateAccommodation(candidate_id=command.candidate_id, accommodation=granted)


class ListAccommodations:
    """An admin lists an exam's accommodations."""

    def __init__(self, exams: ExamRepository, accommodations: AccommodationRepository) -> None:
        self._exams = exams
        self._accommodations = accommodations

    async def __call__(self, actor: Actor, exam_id: UUID) -> list[CandidateAccommodation]:
        ensure_admin(actor)
        if await self._exams.get(exam_id) is None:
            raise ExamNotFound()
        return await self._accommodations.list(exam_id)
