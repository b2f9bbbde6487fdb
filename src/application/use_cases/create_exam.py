from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import ExamRepository, Transaction
from domain.exam import AdaptiveRules, Exam, ExamMode, Question
from domain.review_policy import ReviewPolicy
from domain.sections import Section


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateExamCommand:
    actor: Actor
    title: str
    mode: ExamMode
    duration: timedelta
    questions: tuple[Question, ...]
    grace: timedelta = timedelta(0)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_attempts: int = 1
    adaptive: AdaptiveRules | None = None
    review: ReviewPolicy = ReviewPolicy.SCORE
    shuffle_options: bool = False
    sections: tuple[Section, ...] = ()


class CreateExam:
    """An admin defines a new exam; it is durable when this returns."""

    def __init__(self, exams: ExamRepository, transaction: Transaction) -> None:
        self._exams = exams
        self._transaction = transaction

    async def __call__(self, command: CreateExamCommand) -> Exam:
        ensure_admin(command.actor)
        exam = Exam(
            id=uuid4(),
            title=command.title,
            mode=command.mode,
            duration=command.duration,
            questions=command.questions,
            grace=command.grace,
            opens_at=command.opens_at,
            closes_at=command.closes_at,
            max_attempts=command.max_attempts,
            adaptive=command.adaptive,
            review=command.review,
            shuffle_options=command.shuffle_options,
            sections=command.sections,
        )
        await self._exams.add(exam)
        await self._transaction.commit()
        return exam
