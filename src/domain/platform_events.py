"""What the platform is told: the webhook event types, and which attempt events they are.

Answers and responses are deliberately absent: they are the candidate's working, not a
change of the attempt's standing, and the save path must not pay for an outbox row.
"""

from __future__ import annotations

from enum import StrEnum

from domain.events import EventKind


class PlatformEventType(StrEnum):
    ATTEMPT_STARTED = "attempt.started"
    ATTEMPT_SUBMITTED = "attempt.submitted"
    ATTEMPT_EXPIRED = "attempt.expired"
    ATTEMPT_TERMINATED = "attempt.terminated"
    ATTEMPT_REOPENED = "attempt.reopened"
    ATTEMPT_TIME_CHANGED = "attempt.time_changed"
    ATTEMPT_PAUSED = "attempt.paused"
    ATTEMPT_RESUMED = "attempt.resumed"
    ATTEMPT_RESCORED = "attempt.rescored"
    EXAM_CREATED = "exam.created"


# The one table from an attempt's audit events to what the platform hears. Storage writes
# an outbox row for every event listed here, in the transaction that records the event;
# a new kind of change (terminate, reopen, rescore) becomes a platform event by a line here.
PLATFORM_EVENTS: dict[EventKind, PlatformEventType] = {
    EventKind.STARTED: PlatformEventType.ATTEMPT_STARTED,
    EventKind.SUBMITTED: PlatformEventType.ATTEMPT_SUBMITTED,
    EventKind.EXPIRED: PlatformEventType.ATTEMPT_EXPIRED,
    EventKind.TIME_EXTENDED: PlatformEventType.ATTEMPT_TIME_CHANGED,
    EventKind.ACCOMMODATED: PlatformEventType.ATTEMPT_TIME_CHANGED,
    EventKind.PAUSED: PlatformEventType.ATTEMPT_PAUSED,
    EventKind.UNPAUSED: PlatformEventType.ATTEMPT_RESUMED,
    EventKind.TERMINATED: PlatformEventType.ATTEMPT_TERMINATED,
    EventKind.REOPENED: PlatformEventType.ATTEMPT_REOPENED,
    EventKind.ATTEMPT_RESCORED: PlatformEventType.ATTEMPT_RESCORED,
    # EventKind.RESUMED is the candidate coming back to the page: audited, not a change.
}


def platform_event_type(kind: EventKind) -> PlatformEventType | None:
    """The webhook type of an attempt event, or None when the platform is not told."""
    return PLATFORM_EVENTS.get(kind)
