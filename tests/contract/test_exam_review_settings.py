"""ExamRepository keeps an exam's review policy and whether it shuffles its options."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.review_policy import ReviewPolicy
from tests.contract.test_exams import committed
from tests.contract.units import DurableStore
from tests.integration.postgres.builders import fixed_exam


@pytest.mark.parametrize("policy", list(ReviewPolicy))
async def test_review_and_shuffle_come_back(durable: DurableStore, policy: ReviewPolicy) -> None:
    exam = replace(fixed_exam(), review=policy, shuffle_options=policy is ReviewPolicy.FULL)
    await committed(durable, exam)
    async with durable.unit() as unit:
        loaded = await unit.exams.get(exam.id)
    assert loaded is not None
    assert (loaded.review, loaded.shuffle_options) == (policy, policy is ReviewPolicy.FULL)


async def test_an_exam_defined_without_them_reviews_scores_in_the_author_order(
    durable: DurableStore,
) -> None:
    exam = fixed_exam()
    await committed(durable, exam)
    async with durable.unit() as unit:
        loaded = await unit.exams.get(exam.id)
    assert loaded is not None
    assert (loaded.review, loaded.shuffle_options) == (ReviewPolicy.SCORE, False)
