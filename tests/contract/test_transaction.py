"""Transaction: nothing a unit writes is durable until it commits; a commit is final."""

from __future__ import annotations

from domain.accommodation import Accommodation
from tests.contract.units import DurableStore
from tests.integration.postgres.builders import fixed_exam

EXTRA = Accommodation(reason="injured hand", time_multiplier=1.5)


async def test_a_unit_that_wrote_nothing_commits_and_rolls_back(durable: DurableStore) -> None:
    async with durable.unit() as unit:
        await unit.transaction.commit()
        await unit.transaction.rollback()
        assert await unit.exams.get(fixed_exam().id) is None


async def test_one_commit_makes_every_repositorys_writes_durable_together(
    durable: DurableStore,
) -> None:
    exam = fixed_exam()
    async with durable.unit() as unit:
        await unit.exams.add(exam)
        await unit.accommodations.put(exam.id, "candidate-1", EXTRA)
        await unit.transaction.commit()

    async with durable.unit() as unit:
        assert await unit.exams.get(exam.id) == exam
        assert await unit.accommodations.get(exam.id, "candidate-1") == EXTRA


async def test_a_rollback_after_a_commit_undoes_only_what_came_after(
    durable: DurableStore,
) -> None:
    exam = fixed_exam()
    async with durable.unit() as unit:
        await unit.exams.add(exam)
        await unit.transaction.commit()
        await unit.accommodations.put(exam.id, "candidate-1", EXTRA)
        await unit.transaction.rollback()

    async with durable.unit() as unit:
        assert await unit.exams.get(exam.id) == exam
        assert await unit.accommodations.get(exam.id, "candidate-1") is None


async def test_a_unit_that_ends_without_a_commit_leaves_nothing(durable: DurableStore) -> None:
    exam = fixed_exam()
    async with durable.unit() as unit:
        await unit.exams.add(exam)

    async with durable.unit() as unit:
        assert await unit.exams.get(exam.id) is None
