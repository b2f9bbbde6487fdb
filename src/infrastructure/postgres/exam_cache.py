"""A per-process cache of exams: they never change once created, so one read is enough."""

from __future__ import annotations

from collections import OrderedDict
from uuid import UUID

from domain.exam import Exam

DEFAULT_CAPACITY = 1024


class ExamCache:
    """Least-recently-used exams by id, at most DEFAULT_CAPACITY of them.

    One per process, so every request after an exam's first finds it here. Not locked:
    the event loop runs one coroutine at a time and no method awaits.
    """

    # No constructor arguments, so DI can build it as is; `with_capacity` is for tests.
    def __init__(self) -> None:
        self._capacity = DEFAULT_CAPACITY
        self._exams: OrderedDict[UUID, Exam] = OrderedDict()

    @classmethod
    def with_capacity(cls, capacity: int) -> ExamCache:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        cache = cls()
        cache._capacity = capacity
        return cache

    def get(self, exam_id: UUID) -> Exam | None:
        exam = self._exams.get(exam_id)
        if exam is not None:
            self._exams.move_to_end(exam_id)
        return exam

    def put(self, exam: Exam) -> None:
        self._exams[exam.id] = exam
        self._exams.move_to_end(exam.id)
        while len(self._exams) > self._capacity:
            self._exams.popitem(last=False)

    def __len__(self) -> int:
        return len(self._exams)
