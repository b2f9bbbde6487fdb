"""The outbox write: platform events and their pending deliveries, in the change's transaction.

Called by the adapters that append an attempt's audit events (and by the exam adapter), on
the same session, so an event exists exactly when its change committed. When a change has
platform events, its audit events, the platform events and their pending deliveries (one
per registration that asked for the type) are written by ONE statement: the outbox adds
no round trip to a submit or a sweeper batch, which on a busy machine cost as much as the
insert itself (docs/benchmarks.md, "Webhooks"). A change with no platform event (an
answer, a response) is written as before and issues nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.attempt import Attempt
from domain.exam import Exam
from domain.platform_events import PlatformEventType, platform_event_type
from infrastructure.postgres.platform_payloads import attempt_data, exam_data

# The audit events and the outbox, as CTEs and a final INSERT that a caller's own CTEs
# may precede (`audit_and_outbox_statement`).
_AUDIT_AND_OUTBOX_TAIL = """
    audit AS (
        INSERT INTO attempt_events (attempt_id, version, kind, at, data)
        SELECT attempt_id, version, kind, at, CAST(data AS jsonb)
        FROM unnest(
            CAST(:audit_attempts AS uuid[]), CAST(:audit_versions AS int[]),
            CAST(:audit_kinds AS text[]), CAST(:audit_times AS timestamptz[]),
            CAST(:audit_data AS text[])
        ) WITH ORDINALITY AS given(attempt_id, version, kind, at, data, n)
        ORDER BY n  -- ids in the order the events happened, as the ORM's insert gives
    ),
    event AS (
        INSERT INTO webhook_events (type, subject_id, occurred_at, data)
        SELECT type, subject_id, occurred_at, CAST(data AS jsonb)
        FROM unnest(
            CAST(:types AS text[]), CAST(:subjects AS uuid[]),
            CAST(:times AS timestamptz[]), CAST(:data AS text[])
        ) WITH ORDINALITY AS given(type, subject_id, occurred_at, data, n)
        ORDER BY n
        RETURNING id, type, subject_id, occurred_at
    )
    INSERT INTO webhook_deliveries (webhook_id, event_id, subject_id, next_attempt_at, retry_from)
    SELECT webhook.id, event.id, event.subject_id, now(), now()
    FROM event JOIN webhooks AS webhook ON event.type = ANY(webhook.events)
"""
_AUDIT_AND_OUTBOX = text("WITH" + _AUDIT_AND_OUTBOX_TAIL)

_OUTBOX = text(
    """
    WITH event AS (
        INSERT INTO webhook_events (type, subject_id, occurred_at, data)
        SELECT type, subject_id, occurred_at, CAST(data AS jsonb)
        FROM unnest(
            CAST(:types AS text[]), CAST(:subjects AS uuid[]),
            CAST(:times AS timestamptz[]), CAST(:data AS text[])
        ) WITH ORDINALITY AS given(type, subject_id, occurred_at, data, n)
        ORDER BY n
        RETURNING id, type, subject_id, occurred_at
    )
    INSERT INTO webhook_deliveries (webhook_id, event_id, subject_id, next_attempt_at, retry_from)
    SELECT webhook.id, event.id, event.subject_id, now(), now()
    FROM event JOIN webhooks AS webhook ON event.type = ANY(webhook.events)
    """
)


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
    one statement, if there are any platform events; False (nothing written) if not."""
    parameters = audit_and_outbox_parameters(attempts)
    if parameters is None:
        return False
    await session.execute(_AUDIT_AND_OUTBOX, parameters)
    return True


def audit_and_outbox_statement(leading_ctes: str) -> TextClause:
    """The audit-and-outbox statement behind the caller's own CTEs (`name AS (...)`, named
    parameters), so that a change and its events are one statement (the start's insert,
    the submit's update: infrastructure/postgres/fast_paths.py)."""
    return text(f"WITH {leading_ctes},{_AUDIT_AND_OUTBOX_TAIL}")


def audit_and_outbox_parameters(attempts: Sequence[Attempt]) -> dict[str, Any] | None:
    """The parameters of that statement for the attempts' pending events; None when they
    hold no platform event (then only the audit events are written, without the outbox)."""
    events = [event for attempt in attempts for event in attempt_platform_events(attempt)]
    if not events:
        return None
    audit = [(attempt.id, event) for attempt in attempts for event in attempt.pending_events]
    return {
        "audit_attempts": [attempt_id for attempt_id, _ in audit],
        "audit_versions": [event.version for _, event in audit],
        "audit_kinds": [event.kind.value for _, event in audit],
        "audit_times": [event.at for _, event in audit],
        "audit_data": [_json(dict(event.data)) for _, event in audit],
        **_outbox_parameters(events),
    }


async def append_exam_created(session: AsyncSession, exam: Exam, at: datetime) -> None:
    event = PlatformEvent(PlatformEventType.EXAM_CREATED, exam.id, at, exam_data(exam))
    await append_platform_events(session, [event])


async def append_platform_events(session: AsyncSession, events: Sequence[PlatformEvent]) -> None:
    if events:
        await session.execute(_OUTBOX, _outbox_parameters(events))


def _outbox_parameters(events: Sequence[PlatformEvent]) -> dict[str, Any]:
    return {
        "types": [event.type.value for event in events],
        "subjects": [event.subject_id for event in events],
        "times": [event.occurred_at for event in events],
        "data": [_json(event.data) for event in events],
    }


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"))
