from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.events import EventKind
from domain.platform_events import PLATFORM_EVENTS, PlatformEventType, platform_event_type
from domain.webhook_retry import RetrySchedule


def test_every_change_of_an_attempts_standing_is_a_platform_event() -> None:
    assert platform_event_type(EventKind.STARTED) is PlatformEventType.ATTEMPT_STARTED
    assert platform_event_type(EventKind.SUBMITTED) is PlatformEventType.ATTEMPT_SUBMITTED
    assert platform_event_type(EventKind.EXPIRED) is PlatformEventType.ATTEMPT_EXPIRED
    assert platform_event_type(EventKind.PAUSED) is PlatformEventType.ATTEMPT_PAUSED
    assert platform_event_type(EventKind.UNPAUSED) is PlatformEventType.ATTEMPT_RESUMED
    for kind in (EventKind.TIME_EXTENDED, EventKind.ACCOMMODATED):
        assert platform_event_type(kind) is PlatformEventType.ATTEMPT_TIME_CHANGED
    assert platform_event_type(EventKind.TERMINATED) is PlatformEventType.ATTEMPT_TERMINATED
    assert platform_event_type(EventKind.REOPENED) is PlatformEventType.ATTEMPT_REOPENED
    assert platform_event_type(EventKind.ATTEMPT_RESCORED) is PlatformEventType.ATTEMPT_RESCORED


@pytest.mark.parametrize("kind", [EventKind.QUESTION_SCORED])
def test_a_score_that_leaves_points_pending_is_not_yet_a_rescore(kind: EventKind) -> None:
    assert platform_event_type(kind) is None


@pytest.mark.parametrize(
    "kind",
    [
        EventKind.ANSWER_SAVED,
        EventKind.ANSWER_CLEARED,
        EventKind.RESPONSE_RECORDED,
        EventKind.RESUMED,  # the candidate reopened the page: no change of standing
    ],
)
def test_answers_and_returns_are_not_platform_events(kind: EventKind) -> None:
    assert platform_event_type(kind) is None


def test_the_table_maps_only_to_attempt_types() -> None:
    assert PlatformEventType.EXAM_CREATED not in PLATFORM_EVENTS.values()
    assert all(value.value.startswith("attempt.") for value in PLATFORM_EVENTS.values())


NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
SCHEDULE = RetrySchedule(base=timedelta(seconds=5), cap=timedelta(hours=1))


def test_backoff_doubles_from_the_base_up_to_the_cap() -> None:
    far = NOW + timedelta(days=1)
    delays = [SCHEDULE.next_attempt(tries, NOW, far) for tries in range(1, 12)]
    assert [(at - NOW).total_seconds() for at in delays if at is not None] == [
        5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600,
    ]  # fmt: skip
    assert SCHEDULE.next_attempt(500, NOW, far) == NOW + timedelta(hours=1)


def test_no_retry_is_scheduled_past_the_give_up_time() -> None:
    assert SCHEDULE.next_attempt(1, NOW, NOW + timedelta(seconds=5)) == NOW + timedelta(seconds=5)
    assert SCHEDULE.next_attempt(1, NOW, NOW + timedelta(seconds=4)) is None
    assert SCHEDULE.next_attempt(3, NOW, NOW) is None
