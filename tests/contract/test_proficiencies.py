"""Proficiencies on both sides: the in-memory fake and the PostgreSQL table."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import Transaction
from application.ports.proficiencies import Proficiencies
from domain.exam import Exam
from domain.proficiency import ProficiencyEstimate
from infrastructure.postgres.proficiencies import SqlProficiencies
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.contract.conftest import SIDES
from tests.fakes.proficiencies import InMemoryProficiencies, ProficiencyStore
from tests.fakes.transaction import FakeTransaction
from tests.integration.postgres.builders import NOW, attempts_in, fixed_exam, started, stored_exam

Unit = tuple[Proficiencies, Transaction]


@dataclass(frozen=True, slots=True)
class Side:
    unit: Callable[[], AbstractAsyncContextManager[Unit]]
    # An attempt id the store accepts an estimate of (the table's foreign keys).
    attempt_of: Callable[[str, UUID], Awaitable[UUID]]
    exam: Callable[[], Awaitable[UUID]]


def _memory() -> Side:
    store = ProficiencyStore()

    @asynccontextmanager
    async def unit() -> AsyncIterator[Unit]:
        transaction = FakeTransaction()
        yield InMemoryProficiencies(transaction, store), transaction
        await transaction.rollback()

    async def attempt_of(_candidate: str, _exam: UUID) -> UUID:
        return uuid4()

    async def exam() -> UUID:
        return uuid4()

    return Side(unit, attempt_of, exam)


def _postgres(sessions: async_sessionmaker[AsyncSession]) -> Side:
    @asynccontextmanager
    async def unit() -> AsyncIterator[Unit]:
        async with sessions() as session:
            source = OneSession(session)
            yield SqlProficiencies(source), SqlTransaction(source)

    exams: dict[UUID, Exam] = {}

    async def exam() -> UUID:
        stored = await stored_exam(sessions, fixed_exam())
        exams[stored.id] = stored
        return stored.id

    async def attempt_of(_candidate: str, exam_id: UUID) -> UUID:
        # A row for the foreign key; its own candidate, as one may have one in progress.
        attempt = started(exams[exam_id])
        async with sessions() as session:
            await attempts_in(session).add(attempt, number=1)
            await session.commit()
        return attempt.id

    return Side(unit, attempt_of, exam)


@pytest.fixture(params=SIDES)
def side(request: pytest.FixtureRequest) -> Side:
    if request.param == "fake":
        return _memory()
    return _postgres(request.getfixturevalue("postgres_sessions"))


async def _estimate(
    side: Side, candidate: str, exam_id: UUID, theta: float, minutes: int
) -> ProficiencyEstimate:
    return ProficiencyEstimate(
        attempt_id=await side.attempt_of(candidate, exam_id),
        candidate_id=candidate,
        exam_id=exam_id,
        theta=theta,
        se=0.3,
        updated_at=NOW + timedelta(minutes=minutes),
    )


async def _record(side: Side, *estimates: ProficiencyEstimate, commit: bool = True) -> None:
    async with side.unit() as (proficiencies, transaction):
        await proficiencies.record_all(list(estimates))
        if commit:
            await transaction.commit()


async def _latest(side: Side, candidate: str) -> list[ProficiencyEstimate]:
    async with side.unit() as (proficiencies, _):
        return await proficiencies.latest_per_exam(candidate)


async def test_the_latest_estimate_of_each_exam_newest_first(side: Side) -> None:
    candidate = f"c-{uuid4().hex[:8]}"
    first, second = await side.exam(), await side.exam()
    old = await _estimate(side, candidate, first, -1.0, 1)
    new = await _estimate(side, candidate, first, 0.5, 10)
    other = await _estimate(side, candidate, second, 1.5, 5)
    await _record(side, old, new, other)
    assert await _latest(side, candidate) == [new, other]
    assert await _latest(side, "nobody") == []


async def test_uncommitted_estimates_are_dropped(side: Side) -> None:
    candidate = f"c-{uuid4().hex[:8]}"
    exam = await side.exam()
    await _record(side, await _estimate(side, candidate, exam, 0.1, 1), commit=False)
    assert await _latest(side, candidate) == []


async def test_an_attempt_finalised_again_replaces_its_estimate(side: Side) -> None:
    candidate = f"c-{uuid4().hex[:8]}"
    exam = await side.exam()
    first = await _estimate(side, candidate, exam, 0.1, 1)
    await _record(side, first)
    again = ProficiencyEstimate(
        attempt_id=first.attempt_id, candidate_id=candidate, exam_id=exam,
        theta=0.9, se=0.25, updated_at=first.updated_at + timedelta(minutes=30),
    )  # fmt: skip
    await _record(side, again)
    assert await _latest(side, candidate) == [again]


async def test_the_prior_is_the_latest_estimate_ended_before_the_attempt_began(
    side: Side,
) -> None:
    candidate = f"c-{uuid4().hex[:8]}"
    exam, elsewhere = await side.exam(), await side.exam()
    early = await _estimate(side, candidate, exam, -0.5, 1)
    later = await _estimate(side, candidate, exam, 0.7, 20)
    await _record(side, early, later, await _estimate(side, candidate, elsewhere, 2.0, 5))
    async with side.unit() as (proficiencies, _):
        found = await proficiencies.latest_before(
            candidate, exam, before=NOW + timedelta(minutes=10), excluding=uuid4()
        )
        own = await proficiencies.latest_before(
            candidate, exam, before=NOW + timedelta(hours=1), excluding=later.attempt_id
        )
        none = await proficiencies.latest_before(candidate, exam, before=NOW, excluding=uuid4())
    assert (found, own, none) == (early, early, None)
