"""Exam definitions kept in memory, honouring the transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from application.ports import ExamListPosition, ExamRepository, ExamSummary
from domain.exam import Exam
from tests.fakes.transaction import FakeTransaction

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class ExamStore:
    """The committed exams, shared by every repository (session) over them."""

    rows: dict[UUID, Exam] = field(default_factory=dict)
    # PostgreSQL's `created_at`: here a clock that ticks a microsecond per exam committed.
    created_at: dict[UUID, datetime] = field(default_factory=dict)

    def publish(self, exams: dict[UUID, Exam]) -> None:
        for exam_id in exams:
            self.created_at[exam_id] = _EPOCH + timedelta(microseconds=len(self.created_at))
        self.rows.update(exams)


class InMemoryExamRepository(ExamRepository):
    """Exams are immutable, so rows are kept as they are; order is insertion order."""

    def __init__(self, transaction: FakeTransaction, store: ExamStore | None = None) -> None:
        self.store = store if store is not None else ExamStore()
        self._transaction = transaction
        self._staged: dict[UUID, Exam] = {}

    async def add(self, exam: Exam) -> None:
        if exam.id in self.store.rows or exam.id in self._staged:
            raise ValueError(f"exam {exam.id} exists already")
        self._staged[exam.id] = exam
        self._transaction.join(self)

    async def get(self, exam_id: UUID) -> Exam | None:
        return self._staged.get(exam_id) or self.store.rows.get(exam_id)

    async def summaries(self, *, after: ExamListPosition | None, limit: int) -> list[ExamSummary]:
        # Staged exams are seen by their own transaction, as in PostgreSQL; they are
        # dated by where they would be committed.
        created = dict(self.store.created_at)
        for exam_id in self._staged:
            created[exam_id] = _EPOCH + timedelta(microseconds=len(created))
        exams = [*self.store.rows.values(), *self._staged.values()]
        listed = [_summary(exam, created[exam.id]) for exam in exams]
        listed.sort(key=lambda summary: (summary.created_at, summary.id))
        if after is not None:
            listed = [s for s in listed if (s.created_at, s.id) > (after.created_at, after.exam_id)]
        return listed[:limit]

    def check_staged(self) -> None:
        if any(exam_id in self.store.rows for exam_id in self._staged):
            raise ValueError("an exam with that id was committed meanwhile")

    def publish_staged(self) -> None:
        self.store.publish(self._staged)
        self._staged.clear()

    def drop_staged(self) -> None:
        self._staged.clear()


def _summary(exam: Exam, created_at: datetime) -> ExamSummary:
    return ExamSummary(
        id=exam.id,
        title=exam.title,
        mode=exam.mode,
        duration=exam.duration,
        grace=exam.grace,
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
        max_attempts=exam.max_attempts,
        adaptive=exam.adaptive,
        question_count=len(exam.questions),
        created_at=created_at,
    )
