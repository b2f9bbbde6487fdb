"""Units of work over the durable store, in memory or in PostgreSQL, for the repository suites."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import AccommodationRepository, ExamRepository, Transaction
from infrastructure.postgres.accommodations import SqlAccommodationRepository
from infrastructure.postgres.exams import ExamCache, SqlExamRepository
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.fakes import (
    AccommodationStore,
    ExamStore,
    FakeTransaction,
    InMemoryAccommodationRepository,
    InMemoryExamRepository,
)


@dataclass(frozen=True, slots=True)
class Unit:
    """The repositories of one unit of work (a request) and its transaction."""

    exams: ExamRepository
    accommodations: AccommodationRepository
    transaction: Transaction


class DurableStore(Protocol):
    def unit(self) -> AbstractAsyncContextManager[Unit]:
        """A unit of work; what it leaves uncommitted is dropped when it ends."""
        ...


class InMemoryStore:
    """The fakes, sharing their committed rows between units as sessions share a database."""

    def __init__(self) -> None:
        self._exams = ExamStore()
        self._accommodations = AccommodationStore()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        transaction = FakeTransaction()
        yield Unit(
            InMemoryExamRepository(transaction, self._exams),
            InMemoryAccommodationRepository(transaction, self._accommodations),
            transaction,
        )
        await transaction.rollback()


class PostgresStore:
    """The SQL adapters, one session per unit and one exam cache for the process, as served."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._exam_cache = ExamCache()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        async with self._sessions() as session:
            source = OneSession(session)
            yield Unit(
                SqlExamRepository(source, self._exam_cache),
                SqlAccommodationRepository(source),
                SqlTransaction(source),
            )


_: type[DurableStore] = InMemoryStore
__: type[DurableStore] = PostgresStore
