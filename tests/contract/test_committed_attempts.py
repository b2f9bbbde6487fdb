"""`CommittedAttempts`: an attempt as committed, read outside any unit of work, the same
from the in-memory fake and from the asyncpg adapter."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from typing import Any
from uuid import uuid4

from domain.attempt import Attempt
from domain.result import AttemptStatus
from tests.contract.conftest_attempts import (
    AttemptSide,
    attempt_database_fixture,  # noqa: F401 (a fixture)
    attempt_side_fixture,  # noqa: F401 (a fixture)
    committed_attempt,
    read_back,
)
from tests.integration.postgres.builders import NOW, ZERO, adaptive_exam, fixed_exam

LATER = NOW + timedelta(minutes=1)


def stored_state(attempt: Attempt | None) -> dict[str, Any]:
    """Every field a read fills (attempts compare by identity)."""
    assert attempt is not None
    return {field.name: getattr(attempt, field.name) for field in fields(attempt)}


async def test_it_reads_the_attempt_as_a_unit_of_work_does(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    async with attempt_side.unit() as unit:
        found = await unit.committed.get(attempt.id)
    assert stored_state(found) == stored_state(await read_back(attempt_side, attempt))


async def test_a_change_not_yet_committed_is_not_in_it(attempt_side: AttemptSide) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam)
    async with attempt_side.unit() as unit:
        changed = await unit.attempts.get_for_update(attempt.id)
        assert changed is not None
        changed.submit(exam, LATER)
        await unit.attempts.update(changed)
        before_commit = await unit.committed.get(attempt.id)
        await unit.transaction.commit()
        after_commit = await unit.committed.get(attempt.id)
    assert before_commit is not None
    assert after_commit is not None
    assert (before_commit.status, before_commit.version) == (AttemptStatus.IN_PROGRESS, 0)
    assert stored_state(after_commit) == stored_state(await read_back(attempt_side, attempt))
    assert after_commit.status is AttemptStatus.SUBMITTED
    assert after_commit.result is not None


async def test_an_adaptive_attempt_comes_with_its_responses_in_order(
    attempt_side: AttemptSide,
) -> None:
    exam = adaptive_exam()
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam, now=exam.opens_at or NOW)
    at = (exam.opens_at or NOW) + timedelta(minutes=1)
    for before, (item_id, option) in enumerate((("i2", "a"), ("i0", "b"))):
        current = await read_back(attempt_side, attempt)
        change = current.live().response_change(
            item_id, option, administered=exam.question(item_id), now=at, network_grace=ZERO
        )
        async with attempt_side.unit() as unit:
            written = await unit.answers.apply_response(
                change, answers_close_after=at, responses_before=before
            )
        assert written == before + 1
    async with attempt_side.unit() as unit:
        found = await unit.committed.get(attempt.id)
    assert found is not None
    assert [response.item_id for response in found.responses] == ["i2", "i0"]
    assert stored_state(found) == stored_state(await read_back(attempt_side, attempt))


async def test_none_for_an_attempt_that_does_not_exist(attempt_side: AttemptSide) -> None:
    async with attempt_side.unit() as unit:
        assert await unit.committed.get(uuid4()) is None
