from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied
from domain.attempt import Attempt
from domain.events import EventKind
from tests.fakes.builders import ADMIN, BOB, Services, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)


async def test_the_audit_trail_oldest_first(services: Services, attempt: Attempt) -> None:
    services.clock.advance(MIN)
    await services.answer(attempt, "q1", "B")
    services.clock.advance(MIN)
    await services.answer(attempt, "q1", None)
    services.clock.advance(MIN)
    await services.submit_attempt(query(attempt))
    events = await services.list_attempt_events(query(attempt))
    assert [(event.kind, event.version, event.at) for event in events] == [
        (EventKind.STARTED, 0, T0),
        (EventKind.ANSWER_SAVED, 1, T0 + MIN),
        (EventKind.ANSWER_CLEARED, 2, T0 + 2 * MIN),
        (EventKind.SUBMITTED, 3, T0 + 3 * MIN),
    ]
    assert events[1].data == {"question_id": "q1", "option": "B"}


async def test_an_admin_reads_it(services: Services, attempt: Attempt) -> None:
    events = await services.list_attempt_events(query(attempt, ADMIN))
    assert [event.kind for event in events] == [EventKind.STARTED]


async def test_another_candidate_may_not(services: Services, attempt: Attempt) -> None:
    with pytest.raises(AccessDenied):
        await services.list_attempt_events(query(attempt, BOB))
