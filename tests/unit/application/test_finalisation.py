from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import AttemptNotFound
from domain.attempt import Attempt
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.builders import Services, make_exam
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN


async def test_an_attempt_not_yet_overdue_is_left_alone(
    services: Services, attempt: Attempt
) -> None:
    now = DEADLINE + 29 * SEC
    current = await services.finaliser.expire_if_overdue(attempt.id, now)
    assert current.status is AttemptStatus.IN_PROGRESS
    assert services.transaction.rollbacks == 1
    assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS


async def test_an_overdue_attempt_is_expired_committed_and_forgotten(
    services: Services, attempt: Attempt
) -> None:
    await services.answer(attempt, "q3", "A")
    now = DEADLINE + 30 * SEC
    expired = await services.finaliser.expire_if_overdue(attempt.id, now)
    assert expired.status is AttemptStatus.EXPIRED
    assert expired.result is not None
    assert expired.result.score == 1
    stored = await services.stored(attempt.id)
    assert (stored.status, stored.result) == (AttemptStatus.EXPIRED, expired.result)
    events = await services.attempts.events(attempt.id)
    assert (events[-1].kind, events[-1].at, events[-1].version) == (EventKind.EXPIRED, now, 2)
    assert services.journal[-2:] == ["commit", f"forget {attempt.id}"]


async def test_the_network_grace_counts_when_longer_than_grace(services: Services) -> None:
    exam = await services.given_exam(make_exam(grace=timedelta(0)))
    attempt = await services.started(exam)
    early = await services.finaliser.expire_if_overdue(attempt.id, DEADLINE + SEC)
    assert early.status is AttemptStatus.IN_PROGRESS
    late = await services.finaliser.expire_if_overdue(attempt.id, DEADLINE + 2 * SEC)
    assert late.status is AttemptStatus.EXPIRED


async def test_expiring_twice_changes_nothing(services: Services, attempt: Attempt) -> None:
    first = await services.finaliser.expire_if_overdue(attempt.id, DEADLINE + MIN)
    commits = services.transaction.commits
    again = await services.finaliser.expire_if_overdue(attempt.id, DEADLINE + 2 * MIN)
    assert again.result == first.result
    assert services.transaction.commits == commits


async def test_submitting_a_final_attempt_returns_it_as_is(
    services: Services, attempt: Attempt
) -> None:
    submitted = await services.finaliser.submit(attempt.id, T0 + MIN)
    again = await services.finaliser.submit(attempt.id, T0 + 2 * MIN)
    assert again.result == submitted.result
    assert services.transaction.rollbacks == 1


async def test_an_unknown_attempt(services: Services) -> None:
    with pytest.raises(AttemptNotFound):
        await services.finaliser.submit(uuid4(), T0)
    with pytest.raises(AttemptNotFound):
        await services.finaliser.expire_if_overdue(uuid4(), T0)
