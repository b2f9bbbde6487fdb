"""Exam definitions kept in memory, honouring the transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from application.ports import ExamRepository
from domain.exam import Exam
from tests.fakes.transaction import FakeTransaction


@dataclass
class ExamStore:
    """The committed exams, shared by every repository (session) over them."""

    rows: dict[UUID, Exam] = field(default_factory=dict)


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

    async def list(self) -> list[Exam]:
        return [*self.store.rows.values(), *self._staged.values()]

    def check_staged(self) -> None:
        if any(exam_id in self.store.rows for exam_id in self._staged):
            raise ValueError("an exam with that id was committed meanwhile")

    def publish_staged(self) -> None:
        self.store.rows.update(self._staged)
        self._staged.clear()

    def drop_staged(self) -> None:
        self._staged.clear()
