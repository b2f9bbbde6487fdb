"""TerminateAttempt and ReopenAttempt over the fakes: what is committed, then announced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied
from application.use_cases.reopen_attempt import ReopenAttempt, ReopenCommand
from application.use_cases.terminate_attempt import (
    ReasonRequired,
    TerminateAttempt,
    TerminateCommand,
)
from domain.attempt import Attempt
from domain.errors import AttemptAlreadyFinal, AttemptNotFinal
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, ALICE, Services, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)


def terminate(services: Services) -> TerminateAttempt:
    return TerminateAttempt(services.finaliser, services.clock)


def reopen(services: Services) -> ReopenAttempt:
    return ReopenAttempt(services.deadline_changes)


async def test_terminate_commits_then_forgets_hot_state(
    services: Services, attempt: Attempt
) -> None:
    await services.answer(attempt, "q1", "A")
    services.clock.advance(5 * MIN)
    command = TerminateCommand(actor=ADMIN, attempt_id=attempt.id, reason="left the room")
    result = await terminate(services)(command)
    assert (result.status, result.score, result.time_taken_seconds) == (
        AttemptStatus.TERMINATED,
        1,
        300,
    )
    stored = await services.stored(attempt.id)
    assert stored.status is AttemptStatus.TERMINATED
    assert services.hot_state.peek(attempt.id) is None
    assert services.journal[-2:] == ["commit", f"forget {attempt.id}"]
    with pytest.raises(AttemptAlreadyFinal):
        await terminate(services)(command)


async def test_terminate_is_for_admins_with_a_reason(services: Services, attempt: Attempt) -> None:
    with pytest.raises(AccessDenied):
        await terminate(services)(TerminateCommand(actor=ALICE, attempt_id=attempt.id, reason="x"))
    with pytest.raises(ReasonRequired):
        await terminate(services)(TerminateCommand(actor=ADMIN, attempt_id=attempt.id, reason=" "))
    assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS


async def test_reopen_refuses_an_attempt_in_progress(services: Services, attempt: Attempt) -> None:
    command = ReopenCommand(actor=ADMIN, attempt_id=attempt.id, seconds=60, reason="x")
    with pytest.raises(AttemptNotFinal):
        await reopen(services)(command)


async def test_reopen_schedules_a_final_attempt_again(services: Services, attempt: Attempt) -> None:
    await services.submit_attempt(query(attempt))
    services.clock.advance(60 * MIN)
    view = await reopen(services)(
        ReopenCommand(actor=ADMIN, attempt_id=attempt.id, seconds=600, reason="power cut")
    )
    assert view.attempt.status is AttemptStatus.IN_PROGRESS
    assert view.attempt.timer.deadline == T0 + 70 * MIN
    assert (await services.stored(attempt.id)).result is None
    # Due again at its new deadline (hot state keeps the final tombstone for its minute:
    # reads go to PostgreSQL until then, see docs/architecture.md).
    assert await services.deadline_index.due(T0 + 69 * MIN, 10) == []
    assert await services.deadline_index.due(T0 + 71 * MIN, 10) == [attempt.id]
