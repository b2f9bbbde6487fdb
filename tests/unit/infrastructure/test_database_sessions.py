"""One lazily opened session per unit of work, invisible to other units."""

from __future__ import annotations

import asyncio

import pytest

from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.sessions import DatabaseSessions
from infrastructure.postgres.transaction import SqlTransaction

# Nothing here connects: sessions are only created and closed, never used for a query.
UNREACHABLE = "postgresql://nobody@127.0.0.1:9/nowhere"


@pytest.fixture
def sessions() -> DatabaseSessions:
    return DatabaseSessions(create_sessionmaker(create_engine(UNREACHABLE, pool_size=1)))


async def test_a_unit_opens_no_session_until_one_is_asked_for(sessions: DatabaseSessions) -> None:
    async with sessions.unit():
        assert sessions.opened is None
        session = sessions.current
        assert sessions.opened is session
        assert sessions.current is session


async def test_each_unit_has_its_own_session_even_when_they_overlap(
    sessions: DatabaseSessions,
) -> None:
    async def one() -> object:
        async with sessions.unit():
            session = sessions.current
            await asyncio.sleep(0)  # let the other unit run in between
            assert sessions.current is session
            return session

    first, second = await asyncio.gather(one(), one())
    assert first is not second


async def test_a_session_is_not_visible_after_its_unit(sessions: DatabaseSessions) -> None:
    async with sessions.unit():
        sessions.current  # noqa: B018 - open it
    assert sessions.opened is None
    with pytest.raises(RuntimeError, match="no unit of work"):
        sessions.current  # noqa: B018


async def test_units_nest_and_the_outer_session_comes_back(sessions: DatabaseSessions) -> None:
    async with sessions.unit():
        outer = sessions.current
        async with sessions.unit():
            assert sessions.opened is None
            assert sessions.current is not outer
        assert sessions.current is outer


async def test_a_transaction_without_a_session_does_nothing(sessions: DatabaseSessions) -> None:
    transaction = SqlTransaction(sessions)
    async with sessions.unit():
        await transaction.commit()
        await transaction.rollback()
        assert sessions.opened is None
