"""ExamRepository: exams round-trip whole, honour the unit of work, and list oldest first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.exc import IntegrityError

from domain.exam import Exam
from tests.contract.units import DurableStore
from tests.integration.postgres.builders import adaptive_exam, fixed_exam


async def committed(durable: DurableStore, *exams: Exam) -> None:
    async with durable.unit() as unit:
        for exam in exams:
            await unit.exams.add(exam)
        await unit.transaction.commit()


@pytest.mark.parametrize("make", [fixed_exam, adaptive_exam])
async def test_a_committed_exam_comes_back_field_for_field(
    durable: DurableStore, make: Callable[[], Exam]
) -> None:
    exam = make()
    await committed(durable, exam)

    async with durable.unit() as unit:
        loaded = await unit.exams.get(exam.id)

    assert loaded == exam
    assert loaded is not None
    assert [q.id for q in loaded.questions] == [q.id for q in exam.questions]


async def test_an_unknown_exam_is_none(durable: DurableStore) -> None:
    async with durable.unit() as unit:
        assert await unit.exams.get(fixed_exam().id) is None


async def test_an_added_exam_is_seen_by_other_units_only_once_committed(
    durable: DurableStore,
) -> None:
    exam = fixed_exam()
    async with durable.unit() as writer:
        await writer.exams.add(exam)
        assert await writer.exams.get(exam.id) == exam
        async with durable.unit() as reader:
            assert await reader.exams.get(exam.id) is None
        await writer.transaction.commit()

    async with durable.unit() as reader:
        assert await reader.exams.get(exam.id) == exam


async def test_a_rolled_back_exam_is_gone_for_every_unit(durable: DurableStore) -> None:
    exam = fixed_exam()
    async with durable.unit() as unit:
        await unit.exams.add(exam)
        assert await unit.exams.get(exam.id) == exam
        await unit.transaction.rollback()
        assert await unit.exams.get(exam.id) is None

    async with durable.unit() as unit:
        assert await unit.exams.get(exam.id) is None
        listed = await unit.exams.summaries(after=None, limit=100_000)
        assert exam.id not in [summary.id for summary in listed]


async def test_list_is_oldest_first_with_this_units_own_exams_last(durable: DurableStore) -> None:
    oldest, older, own = fixed_exam(), adaptive_exam(), fixed_exam(title="Uncommitted")
    await committed(durable, oldest)
    await committed(durable, older)

    async with durable.unit() as unit:
        await unit.exams.add(own)
        listed = await unit.exams.summaries(after=None, limit=100_000)

    # The real database holds other tests' exams too: look at ours only.
    mine = [summary.id for summary in listed if summary.id in {oldest.id, older.id, own.id}]
    assert mine == [oldest.id, older.id, own.id]


async def test_an_exam_id_is_taken_once(durable: DurableStore) -> None:
    exam = fixed_exam()
    await committed(durable, exam)

    async with durable.unit() as unit:
        # No port-level error for this (ids are fresh UUIDs): the fake raises ValueError,
        # PostgreSQL's unique key an IntegrityError.
        with pytest.raises((ValueError, IntegrityError)):
            await unit.exams.add(fixed_exam(id=exam.id, title="Impostor"))

    async with durable.unit() as unit:
        assert await unit.exams.get(exam.id) == exam
