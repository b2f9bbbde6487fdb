"""The outbox's cost to finalisation: submit and expiry throughput with it and without it,
alternating in one run on the same database.

"Without" replaces the outbox write with nothing (what the code did before the outbox);
"with" is the code as shipped, with one webhook registered for every type (the change
writes its outbox event; no dispatcher runs, so no delivery is made during the rounds).
Both run the use cases in-process (no HTTP), so the difference is not lost in the web
server's cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from uuid import UUID

from dishka import AsyncContainer
from sqlalchemy.ext.asyncio import AsyncSession

from application.identity import Actor, Role
from application.use_cases.create_exam import CreateExam, CreateExamCommand
from application.use_cases.read_attempt import AttemptQuery
from application.use_cases.start_attempt import StartAttempt, StartAttemptCommand
from application.use_cases.submit_attempt import SubmitAttempt
from application.use_cases.sweep import ExpireOverdueAttempts, SweepCommand
from domain.attempt import Attempt
from domain.exam import ExamMode, Option, Options, Question
from infrastructure.postgres import outbox as outbox_module
from presentation.bootstrap.units import unit_of_work

ADMIN = Actor(user_id="bench-admin", role=Role.ADMIN)
CONCURRENCY = 16  # submits in flight at once, as many candidates pressing the button


async def _written_nothing(session: AsyncSession, attempts: Sequence[Attempt]) -> bool:
    return False


@contextlib.contextmanager
def outbox(enabled: bool) -> Iterator[None]:
    if enabled:
        yield
        return
    # The adapters then write the audit events alone, exactly as before the outbox.
    saved = outbox_module.append_audit_and_platform_events
    outbox_module.append_audit_and_platform_events = _written_nothing
    try:
        yield
    finally:
        outbox_module.append_audit_and_platform_events = saved


async def create_exam(container: AsyncContainer, duration: timedelta) -> UUID:
    questions = tuple(
        Question(
            id=f"q{n}",
            stem=f"Question {n}",
            options=Options((Option(key="A", text="yes"), Option(key="B", text="no"))),
            correct_key="A",
        )
        for n in range(10)
    )
    command = CreateExamCommand(
        actor=ADMIN,
        title="Webhook bench",
        mode=ExamMode.FIXED,
        duration=duration,
        questions=questions,
        max_attempts=1_000,
    )
    async with unit_of_work(container) as request:
        return (await (await request.get(CreateExam))(command)).id


Item = TypeVar("Item")


async def _bounded(items: Iterable[Item], work: Callable[[Item], Awaitable[None]]) -> None:
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(item: Item) -> None:
        async with semaphore:
            await work(item)

    await asyncio.gather(*(one(item) for item in items))


async def start_attempts(
    container: AsyncContainer, exam_id: UUID, run: str, count: int
) -> list[tuple[Actor, UUID]]:
    started: list[tuple[Actor, UUID]] = []

    async def begin(number: int) -> None:
        actor = Actor(user_id=f"bench-{run}-{number}", role=Role.CANDIDATE)
        async with unit_of_work(container) as request:
            use_case = await request.get(StartAttempt)
            result = await use_case(StartAttemptCommand(actor=actor, exam_id=exam_id))
        started.append((actor, result.attempt.id))

    await _bounded(range(count), begin)
    return started


async def time_submits(container: AsyncContainer, attempts: list[tuple[Actor, UUID]]) -> float:
    async def submit(item: tuple[Actor, UUID]) -> None:
        actor, attempt_id = item
        async with unit_of_work(container) as request:
            await (await request.get(SubmitAttempt))(
                AttemptQuery(actor=actor, attempt_id=attempt_id)
            )

    began = time.perf_counter()
    await _bounded(attempts, submit)
    return len(attempts) / (time.perf_counter() - began)


async def time_expiry(container: AsyncContainer, count: int, overdue_at: datetime) -> float:
    """Sweeper passes (from PostgreSQL, 500 a batch) until the `count` overdue are expired.

    The attempts are of a one-second exam and the bench runs with no network grace: after
    `overdue_at` every one is due, in real time (a moved clock would also move the hot
    state's expiry and slow the rounds that follow)."""
    await asyncio.sleep(max(0.0, (overdue_at - datetime.now(UTC)).total_seconds()))
    expired = 0
    began = time.perf_counter()
    while expired < count:
        async with unit_of_work(container) as request:
            sweep = await request.get(ExpireOverdueAttempts)
            report = await sweep(SweepCommand(from_index=False, batch_size=500))
        if not report.expired:
            break
        expired += len(report.expired)
    return expired / (time.perf_counter() - began)
