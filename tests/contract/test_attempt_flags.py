"""The `AttemptFlags` port: the same behaviour from the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from application.ports import Attempts, Transaction
from application.ports.attempt_flags import AttemptFlags
from domain.attempt import Attempt
from domain.exam import Exam
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_flags import SqlAttemptFlags
from infrastructure.postgres.attempts import SqlAttempts
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.contract.conftest_attempts import (
    attempt_database_fixture,  # noqa: F401 (a fixture)
)
from tests.fakes.attempt_flags import InMemoryAttemptFlags
from tests.fakes.attempts import AttemptStore, InMemoryAttempts
from tests.fakes.transaction import FakeTransaction
from tests.integration.postgres.builders import NOW, fixed_exam, started, stored_exam


@dataclass(frozen=True, slots=True)
class FlagUnit:
    attempts: Attempts
    flags: AttemptFlags
    transaction: Transaction


@dataclass(frozen=True, slots=True)
class FlagSide:
    unit: Callable[[], AbstractAsyncContextManager[FlagUnit]]
    store_exam: Callable[[Exam], Awaitable[None]]


def _memory_side() -> FlagSide:
    store = AttemptStore()

    @asynccontextmanager
    async def unit() -> AsyncIterator[FlagUnit]:
        transaction = FakeTransaction()
        try:
            yield FlagUnit(
                InMemoryAttempts(transaction, store),
                InMemoryAttemptFlags(transaction, store),
                transaction,
            )
        finally:
            await transaction.rollback()

    async def store_exam(_: Exam) -> None:
        return None  # the fake has no exam rows to refer to

    return FlagSide(unit, store_exam)


def _postgres_side(database: Any) -> FlagSide:
    sessions = database.sessions

    @asynccontextmanager
    async def unit() -> AsyncIterator[FlagUnit]:
        async with sessions() as session:
            source = OneSession(session)
            yield FlagUnit(SqlAttempts(source), SqlAttemptFlags(source), SqlTransaction(source))

    async def store_exam(exam: Exam) -> None:
        await stored_exam(sessions, exam)

    return FlagSide(unit, store_exam)


@pytest.fixture(params=["memory", pytest.param("postgres", marks=pytest.mark.integration)])
def side(request: pytest.FixtureRequest) -> FlagSide:
    if request.param == "memory":
        return _memory_side()
    return _postgres_side(request.getfixturevalue("attempt_database"))


async def _attempt(side: FlagSide) -> Attempt:
    exam = fixed_exam()
    await side.store_exam(exam)
    attempt = started(exam)
    async with side.unit() as unit:
        await unit.attempts.add(attempt, number=1)
        await unit.transaction.commit()
    return attempt


async def _flag(
    side: FlagSide, attempt: Attempt, question_id: str, *, flagged: bool = True
) -> tuple[str, ...] | None:
    async with side.unit() as unit:
        flags = await unit.flags.set_flag(attempt.id, question_id, flagged=flagged)
        await unit.transaction.commit()
    return flags


async def _read(side: FlagSide, attempt: Attempt) -> Attempt:
    async with side.unit() as unit:
        found = await unit.attempts.get(attempt.id)
    assert found is not None
    return found


async def test_flags_are_kept_in_order_once_each(side: FlagSide) -> None:
    attempt = await _attempt(side)
    assert await _flag(side, attempt, "q2") == ("q2",)
    assert await _flag(side, attempt, "q1") == ("q2", "q1")
    assert await _flag(side, attempt, "q2") == ("q2", "q1")
    found = await _read(side, attempt)
    assert found.flags == ("q2", "q1")
    assert found.version == attempt.version  # not a change that bumps the version
    assert await _flag(side, attempt, "q2", flagged=False) == ("q1",)
    assert await _flag(side, attempt, "q9", flagged=False) == ("q1",)
    assert (await _read(side, attempt)).flags == ("q1",)


async def test_an_uncommitted_flag_is_not_kept(side: FlagSide) -> None:
    attempt = await _attempt(side)
    async with side.unit() as unit:
        assert await unit.flags.set_flag(attempt.id, "q1", flagged=True) == ("q1",)
    assert (await _read(side, attempt)).flags == ()


async def test_no_flag_on_a_final_or_unknown_attempt(side: FlagSide) -> None:
    attempt = await _attempt(side)
    await _flag(side, attempt, "q1")
    async with side.unit() as unit:
        locked = await unit.attempts.get_for_update(attempt.id)
        assert locked is not None
        locked.submit(fixed_exam(), NOW + timedelta(minutes=1))
        await unit.attempts.update(locked)
        await unit.transaction.commit()
    assert await _flag(side, attempt, "q2") is None
    found = await _read(side, attempt)
    assert found.status is AttemptStatus.SUBMITTED
    assert found.flags == ("q1",)  # the flags at submission stay as they were
    assert await _flag(side, started(fixed_exam()), "q1") is None
