"""The per-process exam cache, bounded by the exams' estimated bytes."""

from __future__ import annotations

import tracemalloc

from domain.exam import Exam
from infrastructure.postgres.exam_cache import ExamCache, exam_bytes
from tests.fakes.builders import make_exam, make_questions


def test_exams_past_the_byte_budget_are_dropped_least_recently_used_first() -> None:
    first, second, third = make_exam(), make_exam(), make_exam()
    cache = ExamCache(max_bytes=exam_bytes(first) * 5 // 2)  # room for two
    cache.put(first)
    cache.put(second)
    cache.get(first.id)
    cache.put(third)

    assert cache.get(second.id) is None
    assert cache.get(first.id) is first
    assert cache.get(third.id) is third
    assert len(cache) == 2


def test_one_large_exam_takes_the_room_of_many_small_ones() -> None:
    small = [make_exam() for _ in range(10)]
    large = make_exam(questions=make_questions(200))
    cache = ExamCache(max_bytes=exam_bytes(large) + exam_bytes(small[0]))
    for exam in small:
        cache.put(exam)
    assert len(cache) > 1

    cache.put(large)

    assert cache.get(large.id) is large
    assert [exam for exam in small if cache.get(exam.id) is not None] == [small[-1]]


def test_an_exam_larger_than_the_budget_is_not_kept() -> None:
    exam = make_exam()
    cache = ExamCache(max_bytes=exam_bytes(exam) - 1)
    cache.put(exam)

    assert cache.get(exam.id) is None


def test_the_estimate_errs_high_but_not_wildly() -> None:
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        exam: Exam = make_exam(questions=make_questions(300))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

    assert held <= exam_bytes(exam) <= 1.5 * held
