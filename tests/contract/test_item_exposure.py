"""The `ItemExposure` port: the same counts from the in-memory fake and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from domain.exam import Exam
from tests.contract.conftest_attempts import (
    AttemptSide,
    attempt_database_fixture,  # noqa: F401 (a fixture)
    attempt_side_fixture,  # noqa: F401 (a fixture)
    committed_attempt,
)
from tests.integration.postgres.builders import NOW, ZERO, adaptive_exam

SOON = NOW + timedelta(minutes=5)


async def _respond(side: AttemptSide, exam: Exam, items: list[str]) -> None:
    attempt = await committed_attempt(side, exam)
    for count, item in enumerate(items):
        change = attempt.response_change(
            item, "a", administered=exam.question(item), now=SOON, network_grace=ZERO
        )
        async with side.unit() as unit:
            version = await unit.answers.apply_response(
                change, answers_close_after=SOON, responses_before=count
            )
            await unit.transaction.commit()
        assert version == count + 1
        attempt.apply_response(change)


async def test_counts_attempts_given_an_item_per_item(attempt_side: AttemptSide) -> None:
    exam, other = adaptive_exam(), adaptive_exam()
    await attempt_side.store_exam(exam)
    await attempt_side.store_exam(other)
    await _respond(attempt_side, exam, ["i0", "i1"])
    await _respond(attempt_side, exam, ["i1", "i3", "i4"])
    await _respond(attempt_side, exam, [])  # started, never given an item: not counted
    await _respond(attempt_side, other, ["i0"])

    async with attempt_side.unit() as unit:
        counts = await unit.exposure.of_exam(exam.id)
        nothing = await unit.exposure.of_exam(adaptive_exam().id)

    assert counts.attempts == 2
    assert dict(counts.administered) == {"i0": 1, "i1": 2, "i3": 1, "i4": 1}
    assert (nothing.attempts, dict(nothing.administered)) == (0, {})
