"""The per-process engine cache: one build per exam, bounded by the engines' bytes."""

from __future__ import annotations

import pytest

from application.adaptive_engines import AdaptiveEngines
from domain.adaptive.exam_engine import engine_for
from domain.errors import WrongExamMode
from tests.fakes.builders import make_adaptive_exam, make_exam


def test_an_exam_s_engine_is_built_once() -> None:
    engines, exam = AdaptiveEngines(), make_adaptive_exam()

    assert engines.engine_for(exam) is engines.engine_for(exam)


def test_engines_past_the_byte_budget_are_dropped_least_recently_used_first() -> None:
    first, second, third = (make_adaptive_exam(items=40) for _ in range(3))
    size = engine_for(first).nbytes
    engines = AdaptiveEngines(max_bytes=2 * size + size // 2)  # room for two engines
    kept = engines.engine_for(first)
    engines.engine_for(second)
    assert engines.engine_for(first) is kept  # second is now the least recently used

    engines.engine_for(third)

    assert engines.engine_for(first) is kept
    rebuilt = engines.engine_for(second)
    assert rebuilt.bank.item_ids == tuple(q.id for q in second.questions)


def test_an_engine_larger_than_the_budget_is_built_on_every_use() -> None:
    engines, exam = AdaptiveEngines(max_bytes=1024), make_adaptive_exam(items=40)

    assert engines.engine_for(exam) is not engines.engine_for(exam)


def test_an_engine_s_size_is_its_arrays() -> None:
    small, large = (engine_for(make_adaptive_exam(items=n)) for n in (40, 400))

    # The tables grow with the bank: about 2.6 kB an item, and the rest is small.
    assert 2_000 * 360 < large.nbytes - small.nbytes < 3_000 * 360


def test_a_fixed_form_exam_has_no_engine() -> None:
    with pytest.raises(WrongExamMode):
        AdaptiveEngines().engine_for(make_exam())
