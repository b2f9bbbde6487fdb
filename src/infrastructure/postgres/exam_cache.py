"""A per-process cache of exams: they never change once created, so one read is enough."""

from __future__ import annotations

from sys import getsizeof
from uuid import UUID

from application.bounded_cache import BoundedCache
from domain.exam import Exam, Question

# About 900 exams of 100 questions, or 60 of 2,000 questions with 200-character stems.
DEFAULT_MAX_BYTES = 128 * 2**20


class ExamCache:
    """Least-recently-used exams by id, within `max_bytes` of their estimated size.

    One per process, shared by every unit of work: a copy read by one request serves
    the next ones without a query. An exam larger than the whole budget is read again
    each time it is needed.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._measured: dict[UUID, int] = {}
        self._exams: BoundedCache[UUID, Exam] = BoundedCache(max_bytes, size_of=self._size)

    def get(self, exam_id: UUID) -> Exam | None:
        return self._exams.get(exam_id)

    def put(self, exam: Exam, *, size: int | None = None) -> None:
        """Keep `exam`; `size` is its `exam_bytes`, when the caller measured it already."""
        if size is None:
            self._exams.put(exam.id, exam)
            return
        self._measured[exam.id] = size
        try:
            self._exams.put(exam.id, exam)
        finally:
            del self._measured[exam.id]

    def _size(self, exam: Exam) -> int:
        return self._measured.get(exam.id) or exam_bytes(exam)

    def __len__(self) -> int:
        return len(self._exams)


def exam_bytes(exam: Exam) -> int:
    """The memory an exam holds, from the sizes of its objects and strings.

    It errs high (against tracemalloc for typical exams: strings shared with the rest of
    the process, such as one-letter option keys, are counted once), which is the safe side
    for a memory bound. Counted once per exam read from the database, never on a cache hit.
    """
    # Option keys and correct keys repeat from question to question, often as one shared
    # string each (Python keeps one object per one-letter string): counted once.
    keys: dict[int, str] = {}
    for question in exam.questions:
        keys.update((id(key), key) for key in question.options.keys)
        keys[id(question.correct_key)] = question.correct_key
    return (
        getsizeof(exam)
        + getsizeof(exam.title)
        + getsizeof(exam.questions)
        + len(exam.questions) * _PER_INDEX_ENTRY
        + sum(_question_bytes(question) for question in exam.questions)
        + sum(getsizeof(key) for key in keys.values())
    )


# An entry of the exam's question index (a dict), averaged over the dict's growth.
_PER_INDEX_ENTRY = 40


def _question_bytes(question: Question) -> int:
    options = question.options
    return (
        getsizeof(question)
        + getsizeof(question.id)
        + getsizeof(question.stem)
        + getsizeof(options)
        + getsizeof(options.keys)
        + getsizeof(options.texts)
        + sum(getsizeof(text) for text in options.texts)
        + getsizeof(question.key)  # its type's answer: compiled patterns are the large ones
        + (0 if question.irt is None else getsizeof(question.irt))
    )
