"""Calibration jobs on both sides: the in-memory fakes and the PostgreSQL table.

The real side runs in a database of its own: the API tests' app runs a calibration worker
on the shared one, which would take these jobs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import Transaction
from application.ports.calibrations import CalibrationQueue, CalibrationRequests
from domain.calibration import ItemModel
from domain.calibration.job import CalibrationJob, CalibrationOutcome, CalibrationStatus
from domain.calibration.stored_responses import SkippedItem
from infrastructure.postgres.calibrations import SqlCalibrationQueue, SqlCalibrationRequests
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.migrations import upgrade_database
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.backend import Backend
from tests.contract.conftest import SIDES
from tests.fakes.calibrations import (
    CalibrationStore,
    InMemoryCalibrationQueue,
    InMemoryCalibrationRequests,
)
from tests.fakes.transaction import FakeTransaction
from tests.integration.postgres.builders import NOW, fixed_exam, stored_exam
from tests.integration.postgres.test_migrations import admin, with_database

Unit = tuple[CalibrationRequests, Transaction]
STALE_AT_ONCE = timedelta(0)
LONG = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Side:
    unit: Callable[[], AbstractAsyncContextManager[Unit]]
    queue: CalibrationQueue
    exam: Callable[[], Awaitable[UUID]]


def _memory() -> Side:
    store = CalibrationStore()

    @asynccontextmanager
    async def unit() -> AsyncIterator[Unit]:
        transaction = FakeTransaction()
        yield InMemoryCalibrationRequests(transaction, store), transaction
        await transaction.rollback()

    async def exam() -> UUID:
        return uuid4()

    return Side(unit, InMemoryCalibrationQueue(store), exam)


def _postgres(sessions: async_sessionmaker[AsyncSession]) -> Side:
    @asynccontextmanager
    async def unit() -> AsyncIterator[Unit]:
        async with sessions() as session:
            source = OneSession(session)
            yield SqlCalibrationRequests(source), SqlTransaction(source)

    async def exam() -> UUID:
        return (await stored_exam(sessions, fixed_exam())).id

    return Side(unit, SqlCalibrationQueue(sessions), exam)


@pytest.fixture
async def calibration_database(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    server = with_database(backend.database_url, "postgres")
    name = f"hourglass_calibrations_{uuid4().hex[:10]}"
    await admin(server, f'CREATE DATABASE "{name}"')
    url = with_database(backend.database_url, name)
    try:
        await asyncio.to_thread(upgrade_database, url)
        engine = create_engine(url, pool_size=2)
        yield create_sessionmaker(engine)
        await engine.dispose()
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=SIDES)
def side(request: pytest.FixtureRequest) -> Side:
    if request.param == "fake":
        return _memory()
    return _postgres(request.getfixturevalue("calibration_database"))


async def _queued(side: Side, *, minutes: int = 0, commit: bool = True) -> CalibrationJob:
    job = CalibrationJob(
        id=uuid4(), exam_id=await side.exam(), model=ItemModel.THREE_PL,
        status=CalibrationStatus.QUEUED, requested_by="admin",
        created_at=NOW + timedelta(minutes=minutes),
    )  # fmt: skip
    async with side.unit() as (requests, transaction):
        await requests.add(job)
        if commit:
            await transaction.commit()
    return job


async def _read(side: Side, job_id: UUID) -> CalibrationJob | None:
    async with side.unit() as (requests, _):
        return await requests.get(job_id)


OUTCOME = CalibrationOutcome(
    items=({"id": "q1", "a": 1.2, "b": -0.3, "c": 0.2, "se_a": 0.1, "se_b": None},),
    log_likelihood=-123.5, iterations=17, converged=True, examinees=40,
    skipped=(SkippedItem(item_id="q2", reason="every response is correct"),),
)  # fmt: skip


async def test_a_request_is_kept_only_once_committed(side: Side) -> None:
    kept = await _queued(side)
    dropped = await _queued(side, commit=False)
    assert await _read(side, kept.id) == kept
    assert await _read(side, dropped.id) is None


async def test_jobs_are_claimed_oldest_first_and_once(side: Side) -> None:
    later = await _queued(side, minutes=5)
    earlier = await _queued(side, minutes=1)
    first = await side.queue.claim(stale_after=LONG, max_claims=3)
    second = await side.queue.claim(stale_after=LONG, max_claims=3)
    assert first is not None
    assert second is not None
    assert (first.id, second.id) == (earlier.id, later.id)
    assert (first.status, first.claims) == (CalibrationStatus.RUNNING, 1)
    assert await side.queue.claim(stale_after=LONG, max_claims=3) is None


async def test_a_claim_finishes_its_job_with_the_outcome(side: Side) -> None:
    job = await _queued(side)
    claimed = await side.queue.claim(stale_after=LONG, max_claims=3)
    assert claimed is not None
    assert await side.queue.beat(job.id, claimed.claims)
    assert await side.queue.succeed(job.id, claimed.claims, OUTCOME)
    read = await _read(side, job.id)
    assert read is not None
    assert (read.status, read.outcome, read.error) == (CalibrationStatus.SUCCEEDED, OUTCOME, None)
    assert read.finished_at is not None
    assert not await side.queue.fail(job.id, claimed.claims, "too late")  # finished


async def test_a_stale_job_is_claimed_again_and_the_old_claim_can_write_nothing(
    side: Side,
) -> None:
    job = await _queued(side)
    old = await side.queue.claim(stale_after=LONG, max_claims=3)
    assert old is not None
    assert await side.queue.claim(stale_after=LONG, max_claims=3) is None  # still beating
    new = await side.queue.claim(stale_after=STALE_AT_ONCE, max_claims=3)
    assert new is not None
    assert (new.id, new.claims, new.status) == (job.id, 2, CalibrationStatus.RUNNING)
    assert not await side.queue.beat(job.id, old.claims)
    assert not await side.queue.succeed(job.id, old.claims, OUTCOME)
    assert await side.queue.fail(job.id, new.claims, "no scored responses")
    read = await _read(side, job.id)
    assert read is not None
    assert (read.status, read.error) == (CalibrationStatus.FAILED, "no scored responses")


async def test_a_job_abandoned_too_often_is_failed_not_run(side: Side) -> None:
    job = await _queued(side)
    for _ in range(2):
        assert await side.queue.claim(stale_after=STALE_AT_ONCE, max_claims=2) is not None
    given_up = await side.queue.claim(stale_after=STALE_AT_ONCE, max_claims=2)
    assert given_up is not None
    assert (given_up.id, given_up.status, given_up.claims) == (job.id, CalibrationStatus.FAILED, 3)
    assert given_up.error is not None
    assert "abandoned" in given_up.error
    assert await side.queue.claim(stale_after=STALE_AT_ONCE, max_claims=2) is None


async def test_an_apply_is_recorded(side: Side) -> None:
    job = await _queued(side)
    applied_to = await side.exam()
    async with side.unit() as (requests, transaction):
        await requests.mark_applied(job.id, applied_to)
        await transaction.commit()
    read = await _read(side, job.id)
    assert read is not None
    assert read.applied_exam_id == applied_to
