"""An adaptive exam's observed exposure: how often each item was given."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import ExamRepository
from application.ports.item_exposure import ItemExposure
from domain.errors import WrongExamMode
from domain.exam import ExamMode


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRate:
    id: str
    rate: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ExamExposure:
    """`attempts` given at least one item; every item's share of them, highest first."""

    attempts: int
    items: list[ItemRate]


class ReadExposure:
    """An admin reads the exposure rates an adaptive exam has produced so far.

    Rates are observed, not simulated: an item's rate is the share of the exam's attempts
    (started and given at least one item) that were given it, pretest items included, so
    Sympson-Hetter targets can be checked against live use.
    """

    def __init__(self, exams: ExamRepository, exposure: ItemExposure) -> None:
        self._exams = exams
        self._exposure = exposure

    async def __call__(self, actor: Actor, exam_id: UUID) -> ExamExposure:
        ensure_admin(actor)
        exam = await self._exams.get(exam_id)
        if exam is None:
            raise ExamNotFound()
        if exam.mode is not ExamMode.ADAPTIVE:
            raise WrongExamMode("exposure rates are kept for adaptive exams only")
        counts = await self._exposure.of_exam(exam_id)
        total = counts.attempts
        items = [
            ItemRate(
                id=question.id,
                rate=counts.administered.get(question.id, 0) / total if total else 0.0,
            )
            for question in exam.questions
        ]
        items.sort(key=lambda item: -item.rate)  # stable: exam order among equals
        return ExamExposure(attempts=total, items=items)
