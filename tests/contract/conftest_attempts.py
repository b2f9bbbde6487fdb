"""The attempt ports on both sides: the in-memory fake and PostgreSQL.

Every contract test of an attempt port takes `attempt_side` and runs once per side, so
the fake cannot drift from the SQL adapters. Import the fixtures into the test module
(tests/contract/conftest.py belongs to the contract tests of the other ports).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from application.ports import (
    AccommodationRepository,
    AnswerWrites,
    Attempts,
    AttemptStarts,
    AuditTrail,
    CommittedAttempts,
    FinalWrites,
    OverdueAttempts,
    Transaction,
)
from application.ports.exam_regrades import ExamRegrades
from application.ports.item_exposure import ItemExposure
from domain.attempt import Attempt
from domain.exam import Exam
from infrastructure.postgres.accommodations import SqlAccommodationRepository
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.answer_writes import AsyncpgAnswerWrites
from infrastructure.postgres.attempt_starts import AsyncpgAttemptStarts
from infrastructure.postgres.attempts import SqlAttempts
from infrastructure.postgres.audit_trail import SqlAuditTrail
from infrastructure.postgres.committed_attempts import AsyncpgCommittedAttempts
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.exam_regrades import SqlExamRegrades
from infrastructure.postgres.final_writes import AsyncpgFinalWrites
from infrastructure.postgres.item_exposure import SqlItemExposure
from infrastructure.postgres.overdue_attempts import SqlOverdueAttempts
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.backend import Backend
from tests.fakes.accommodations import AccommodationStore, InMemoryAccommodationRepository
from tests.fakes.attempts import AttemptStore, InMemoryAttempts, InMemoryCommittedAttempts
from tests.fakes.exam_regrades import InMemoryExamRegrades
from tests.fakes.fast_paths import InMemoryAttemptStarts, InMemoryFinalWrites
from tests.fakes.item_exposure import InMemoryItemExposure
from tests.fakes.transaction import FakeTransaction
from tests.integration.postgres.builders import NOW, fixed_exam, started, stored_exam

POOL_SIZE = 4


@dataclass(frozen=True, slots=True)
class AttemptUnit:
    """One unit of work's view of the attempt ports, and its transaction."""

    attempts: Attempts
    overdue: OverdueAttempts
    audit_trail: AuditTrail
    answers: AnswerWrites
    transaction: Transaction
    # The start's and the submit's own writes (committed by themselves), and what they read.
    starts: AttemptStarts
    final_writes: FinalWrites
    accommodations: AccommodationRepository
    regrades: ExamRegrades
    exposure: ItemExposure
    # Committed attempts, read by themselves outside this unit.
    committed: CommittedAttempts


@dataclass(frozen=True, slots=True)
class AttemptSide:
    """A side under test: `unit()` opens a unit of work (closed, uncommitted writes
    dropped, on exit); `store_exam` makes an exam's attempts storable."""

    name: str
    unit: Callable[[], AbstractAsyncContextManager[AttemptUnit]]
    store_exam: Callable[[Exam], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Database:
    sessions: async_sessionmaker[AsyncSession]
    answers: AsyncpgAnswerWrites
    starts: AsyncpgAttemptStarts
    final_writes: AsyncpgFinalWrites
    committed: AsyncpgCommittedAttempts


@pytest.fixture(scope="session", name="attempt_database")
async def attempt_database_fixture(backend: Backend) -> AsyncIterator[_Database]:
    engine: AsyncEngine = create_engine(backend.database_url, pool_size=POOL_SIZE)
    connections = AnswerConnections(backend.database_url, size=POOL_SIZE)
    yield _Database(
        create_sessionmaker(engine),
        AsyncpgAnswerWrites(connections),
        AsyncpgAttemptStarts(connections),
        AsyncpgFinalWrites(connections),
        AsyncpgCommittedAttempts(connections),
    )
    await connections.close()
    await engine.dispose()


def _memory_side() -> AttemptSide:
    store = AttemptStore()
    accommodation_store = AccommodationStore()
    regrades = InMemoryExamRegrades()  # one per side: they outlive a unit, as rows do

    @asynccontextmanager
    async def unit() -> AsyncIterator[AttemptUnit]:
        transaction = FakeTransaction()
        ports = InMemoryAttempts(transaction, store)
        accommodations = InMemoryAccommodationRepository(transaction, accommodation_store)
        # The start's and the submit's fakes commit through a transaction of their own, as
        # the adapters do on their own connections.
        own = FakeTransaction()
        try:
            exposure = InMemoryItemExposure(store)
            yield AttemptUnit(
                ports,
                ports,
                ports,
                ports,
                transaction,
                InMemoryAttemptStarts(
                    InMemoryAttempts(own, store),
                    InMemoryAccommodationRepository(own, accommodation_store),
                    own,
                ),
                InMemoryFinalWrites(InMemoryAttempts(own, store), regrades, own),
                accommodations,
                regrades,
                exposure,
                InMemoryCommittedAttempts(store),
            )
        finally:
            await transaction.rollback()

    async def store_exam(_: Exam) -> None:
        return None  # the fake has no exam rows to refer to

    return AttemptSide("memory", unit, store_exam)


def _postgres_side(database: _Database) -> AttemptSide:
    @asynccontextmanager
    async def unit() -> AsyncIterator[AttemptUnit]:
        async with database.sessions() as session:
            source = OneSession(session)
            yield AttemptUnit(
                SqlAttempts(source),
                SqlOverdueAttempts(source),
                SqlAuditTrail(source),
                database.answers,
                SqlTransaction(source),
                database.starts,
                database.final_writes,
                SqlAccommodationRepository(source),
                SqlExamRegrades(source),
                SqlItemExposure(source),
                database.committed,
            )

    async def store_exam(exam: Exam) -> None:
        await stored_exam(database.sessions, exam)

    return AttemptSide("postgres", unit, store_exam)


@pytest.fixture(
    name="attempt_side",
    params=["memory", pytest.param("postgres", marks=pytest.mark.integration)],
)
def attempt_side_fixture(request: pytest.FixtureRequest) -> AttemptSide:
    if request.param == "memory":
        return _memory_side()
    return _postgres_side(request.getfixturevalue("attempt_database"))


async def committed_attempt(
    side: AttemptSide,
    exam: Exam | None = None,
    *,
    candidate_id: str | None = None,
    now: datetime = NOW,
) -> Attempt:
    """A started attempt, added and committed (its exam stored first when new)."""
    if exam is None:
        exam = fixed_exam()
        await side.store_exam(exam)
    attempt = started(exam, candidate_id=candidate_id, now=now)
    async with side.unit() as unit:
        await unit.attempts.add(attempt, number=1)
        await unit.transaction.commit()
    return attempt


async def read_back(side: AttemptSide, attempt: Attempt) -> Attempt:
    """The attempt as another unit of work reads it (committed state only)."""
    async with side.unit() as unit:
        found = await unit.attempts.get(attempt.id)
    assert found is not None
    return found
