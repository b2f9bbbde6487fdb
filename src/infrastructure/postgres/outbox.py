"""The outbox write: an attempt's audit events and its platform events, in the change's
transaction.

Called by the adapters that append an attempt's audit events (and by the exam adapter), on
the same session, so an event exists exactly when its change committed. The change writes
the `webhook_events` row only: a dispatcher fans it out to one delivery per registration
that asked for the type (`delivery_queue.py`), off the finalising transaction. When a
change has platform events, its audit events and the platform events are written by ONE
statement, so the outbox adds no round trip to a submit, a sweeper batch or an exam-wide
time change. A change with no platform event (an answer, a response) writes its audit
events alone.

For a statement of its own (a single-statement start or submit, say), the outbox is one
fragment and its parameters: `WITH outbox AS (OUTBOX_INSERT) …` with
`outbox_parameters(events)`; `AUDIT_INSERT` with `audit_parameters(attempts)` likewise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.attempt import Attempt
from domain.exam import Exam
from domain.platform_events import PlatformEventType, platform_event_type
from infrastructure.postgres.platform_payloads import attempt_data, exam_data

# The attempts' audit events, in the order they happened (ids as the ORM's insert gives).
AUDIT_INSERT = """
INSERT INTO attempt_events (attempt_id, version, kind, at, data)
SELECT attempt_id, version, kind, at, CAST(data AS jsonb)
FROM unnest(
    CAST(:audit_attempts AS uuid[]), CAST(:audit_versions AS int[]),
    CAST(:audit_kinds AS text[]), CAST(:audit_times AS timestamptz[]),
    CAST(:audit_data AS text[])
) WITH ORDINALITY AS given(attempt_id, version, kind, at, data, n)
ORDER BY n
"""

# The platform events, in order: event ids are the order of delivery per attempt.
OUTBOX_INSERT = """
INSERT INTO webhook_events (type, subject_id, occurred_at, data)
SELECT type, subject_id, occurred_at, CAST(data AS jsonb)
FROM unnest(
    CAST(:outbox_types AS text[]), CAST(:outbox_subjects AS uuid[]),
    CAST(:outbox_times AS timestamptz[]), CAST(:outbox_data AS text[])
) WITH ORDINALITY AS given(type, subject_id, occurred_at, data, n)
ORDER BY n
"""

_AUDIT = text(AUDIT_INSERT)
_AUDIT_AND_OUTBOX = text(f"WITH outbox AS ({OUTBOX_INSERT}) {AUDIT_INSERT}")
_OUTBOX = text(OUTBOX_INSERT)


@dataclass(frozen=True, slots=True)
class PlatformEvent:
    type: PlatformEventType
    subject_id: UUID
    occurred_at: datetime
    data: dict[str, Any]


def attempt_platform_events(attempt: Attempt) -> list[PlatformEvent]:
    """The platform events among the attempt's pending audit events (read before they are
    cleared); the payload is built once, only when there is one."""
    types = [
        (kind, event.at)
        for event in attempt.pending_events
        if (kind := platform_event_type(event.kind)) is not None
    ]
    if not types:
        return []
    data = attempt_data(attempt)
    return [PlatformEvent(kind, attempt.id, at, data) for kind, at in types]


async def append_audit_and_platform_events(
    session: AsyncSession, attempts: Sequence[Attempt]
) -> bool:
    """Write the attempts' pending audit events together with their platform events, in
    one statement, if there are any platform events; False (nothing written) if not.
    Leaves the pending events to the caller to clear."""
    events = [event for attempt in attempts for event in attempt_platform_events(attempt)]
    if not events:
        return False
    parameters = audit_parameters(attempts) | outbox_parameters(events)
    await session.execute(_AUDIT_AND_OUTBOX, parameters)
    return True


def audit_and_outbox_statement(leading_ctes: str) -> TextClause:
    """The audit-and-outbox statement behind the caller's own CTEs (`name AS (...)`, named
    parameters), so that a change and its events are one statement (the start's insert,
    the submit's write-back: attempt_starts.py, final_writes.py)."""
    return text(f"WITH {leading_ctes}, outbox AS ({OUTBOX_INSERT}) {AUDIT_INSERT}")


def audit_and_outbox_parameters(attempts: Sequence[Attempt]) -> dict[str, Any] | None:
    """The parameters of that statement for the attempts' pending events; None when they
    hold no platform event (then only the audit events are written, without the outbox)."""
    events = [event for attempt in attempts for event in attempt_platform_events(attempt)]
    if not events:
        return None
    return audit_parameters(attempts) | outbox_parameters(events)


async def append_audit_events(session: AsyncSession, attempts: Sequence[Attempt]) -> None:
    """Write the attempts' pending audit events (with their platform events, if any) in
    one statement, and clear them."""
    pending = any(attempt.pending_events for attempt in attempts)
    if pending and not await append_audit_and_platform_events(session, attempts):
        await session.execute(_AUDIT, audit_parameters(attempts))
    for attempt in attempts:
        attempt.pending_events.clear()


async def append_exam_created(session: AsyncSession, exam: Exam, at: datetime) -> None:
    event = PlatformEvent(PlatformEventType.EXAM_CREATED, exam.id, at, exam_data(exam))
    await session.execute(_OUTBOX, outbox_parameters([event]))


def audit_parameters(attempts: Sequence[Attempt]) -> dict[str, Any]:
    """AUDIT_INSERT's parameters: every pending event of the attempts."""
    audit = [(attempt.id, event) for attempt in attempts for event in attempt.pending_events]
    return {
        "audit_attempts": [attempt_id for attempt_id, _ in audit],
        "audit_versions": [event.version for _, event in audit],
        "audit_kinds": [event.kind.value for _, event in audit],
        "audit_times": [event.at for _, event in audit],
        "audit_data": [_json(dict(event.data)) for _, event in audit],
    }


def outbox_parameters(events: Sequence[PlatformEvent]) -> dict[str, Any]:
    """OUTBOX_INSERT's parameters."""
    return {
        "outbox_types": [event.type.value for event in events],
        "outbox_subjects": [event.subject_id for event in events],
        "outbox_times": [event.occurred_at for event in events],
        "outbox_data": [_json(event.data) for event in events],
    }


def _json(value: object) -> str:
    return msgspec.json.encode(value).decode()
