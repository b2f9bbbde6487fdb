"""Attempts finalised after a regrade are scored through it; the exam itself never changes."""

from __future__ import annotations

from domain.attempt import Attempt
from domain.exam import Exam
from domain.regrade import Regrade
from tests.fakes.builders import Services, query


async def test_a_submit_after_a_regrade_scores_with_the_fixed_key(
    services: Services, exam: Exam, attempt: Attempt
) -> None:
    await services.answer(attempt, "q1", "B")  # wrong by the exam's key (A)
    await services.regrades.add(
        exam.id, Regrade(question_id="q1", correct_keys=frozenset({"B"})),
        reason="key", by="admin", at=services.clock.now(),
    )  # fmt: skip
    result = await services.submit_attempt(query(attempt))
    assert result.score == 1.0
    assert (await services.exams.get(exam.id)) == exam  # the stored exam is unchanged


async def test_without_regrades_the_exam_scores_as_written(
    services: Services, attempt: Attempt
) -> None:
    await services.answer(attempt, "q1", "B")
    assert (await services.submit_attempt(query(attempt))).score == 0.0
