"""AccommodationRepository: one accommodation per exam and candidate, set and replaced in the
unit of work, listed by candidate id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.ports import CandidateAccommodation
from domain.accommodation import Accommodation
from domain.exam import Exam
from tests.contract.units import DurableStore
from tests.integration.postgres.builders import fixed_exam

DOUBLE = Accommodation(reason="dyslexia", time_multiplier=2.0)
EXTRA = Accommodation(reason="injured hand", extra_time=timedelta(minutes=12, seconds=30.25))
BOTH = Accommodation(reason="both", time_multiplier=1.25, extra_time=timedelta(hours=1))


@pytest.fixture
async def exam(durable: DurableStore) -> Exam:
    """A committed exam of this test's own (accommodations belong to an exam)."""
    exam = fixed_exam()
    async with durable.unit() as unit:
        await unit.exams.add(exam)
        await unit.transaction.commit()
    return exam


async def put_committed(
    durable: DurableStore, exam: Exam, candidate_id: str, accommodation: Accommodation
) -> None:
    async with durable.unit() as unit:
        await unit.accommodations.put(exam.id, candidate_id, accommodation)
        await unit.transaction.commit()


@pytest.mark.parametrize(
    "accommodation", [DOUBLE, EXTRA, BOTH], ids=["multiplier", "extra", "both"]
)
async def test_an_accommodation_comes_back_as_it_was_put(
    durable: DurableStore, exam: Exam, accommodation: Accommodation
) -> None:
    await put_committed(durable, exam, "candidate-1", accommodation)

    async with durable.unit() as unit:
        assert await unit.accommodations.get(exam.id, "candidate-1") == accommodation


async def test_none_for_another_candidate_or_exam(durable: DurableStore, exam: Exam) -> None:
    await put_committed(durable, exam, "candidate-1", DOUBLE)

    async with durable.unit() as unit:
        assert await unit.accommodations.get(exam.id, "candidate-2") is None
        assert await unit.accommodations.get(fixed_exam().id, "candidate-1") is None


async def test_putting_again_replaces_the_accommodation(durable: DurableStore, exam: Exam) -> None:
    await put_committed(durable, exam, "candidate-1", DOUBLE)
    await put_committed(durable, exam, "candidate-1", EXTRA)

    async with durable.unit() as unit:
        assert await unit.accommodations.get(exam.id, "candidate-1") == EXTRA
        assert await unit.accommodations.list(exam.id) == [
            CandidateAccommodation(candidate_id="candidate-1", accommodation=EXTRA)
        ]


async def test_a_put_is_seen_by_other_units_only_once_committed(
    durable: DurableStore, exam: Exam
) -> None:
    async with durable.unit() as writer:
        await writer.accommodations.put(exam.id, "candidate-1", DOUBLE)
        assert await writer.accommodations.get(exam.id, "candidate-1") == DOUBLE
        async with durable.unit() as reader:
            assert await reader.accommodations.get(exam.id, "candidate-1") is None
        await writer.transaction.commit()

    async with durable.unit() as reader:
        assert await reader.accommodations.get(exam.id, "candidate-1") == DOUBLE


async def test_a_rolled_back_put_leaves_the_committed_one(
    durable: DurableStore, exam: Exam
) -> None:
    await put_committed(durable, exam, "candidate-1", DOUBLE)

    async with durable.unit() as unit:
        await unit.accommodations.put(exam.id, "candidate-1", EXTRA)
        await unit.accommodations.put(exam.id, "candidate-2", EXTRA)
        await unit.transaction.rollback()
        assert await unit.accommodations.get(exam.id, "candidate-1") == DOUBLE
        assert await unit.accommodations.get(exam.id, "candidate-2") is None


async def test_list_is_the_exams_own_by_candidate_id_in_code_point_order(
    durable: DurableStore, exam: Exam
) -> None:
    other_exam = fixed_exam()
    async with durable.unit() as unit:
        await unit.exams.add(other_exam)
        await unit.accommodations.put(other_exam.id, "candidate-0", BOTH)
        # Mixed case: a linguistic collation would put "b-2" before "C-1".
        for candidate_id, accommodation in [("b-2", EXTRA), ("C-1", DOUBLE), ("a-3", BOTH)]:
            await unit.accommodations.put(exam.id, candidate_id, accommodation)
        await unit.transaction.commit()

    async with durable.unit() as unit:
        listed = await unit.accommodations.list(exam.id)

    assert listed == [
        CandidateAccommodation(candidate_id="C-1", accommodation=DOUBLE),
        CandidateAccommodation(candidate_id="a-3", accommodation=BOTH),
        CandidateAccommodation(candidate_id="b-2", accommodation=EXTRA),
    ]


async def test_an_exam_without_accommodations_lists_none(durable: DurableStore, exam: Exam) -> None:
    async with durable.unit() as unit:
        assert await unit.accommodations.list(exam.id) == []
