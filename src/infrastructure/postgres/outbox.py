"""The outbox write: platform events and their pending deliveries, in the change's transaction.

Called by the adapters that append an attempt's audit events (and by the exam adapter), on
the same session, so an event exists exactly when its change committed. One statement
whatever the number of events and endpoints: the events are inserted from arrays, and each
becomes a pending delivery for every registration that asked for its type. A change with
no platform event (an answer, a response) issues nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.attempt import Attempt
from domain.exam import Exam
from domain.platform_events import PlatformEventType, platform_event_type
from infrastructure.postgres.platform_payloads import attempt_data, exam_data

_INSERT = text(
    """
    WITH event AS (
        INSERT INTO webhook_events (type, subject_id, occurred_at, data)
        SELECT type, subject_id, occurred_at, CAST(data AS jsonb)
        FROM unnest(
            CAST(:types AS text[]), CAST(:subjects AS uuid[]),
            CAST(:times AS timestamptz[]), CAST(:data AS text[])
        ) AS given(type, subject_id, occurred_at, data)
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


async def append_attempt_events(session: AsyncSession, attempts: Sequence[Attempt]) -> None:
    events = [event for attempt in attempts for event in attempt_platform_events(attempt)]
    await append_platform_events(session, events)


async def append_exam_created(session: AsyncSession, exam: Exam, at: datetime) -> None:
    event = PlatformEvent(PlatformEventType.EXAM_CREATED, exam.id, at, exam_data(exam))
    await append_platform_events(session, [event])


async def append_platform_events(session: AsyncSession, events: Sequence[PlatformEvent]) -> None:
    if not events:
        return
    await session.execute(
        _INSERT,
        {
            "types": [event.type.value for event in events],
            "subjects": [event.subject_id for event in events],
            "times": [event.occurred_at for event in events],
            "data": [json.dumps(event.data, separators=(",", ":")) for event in events],
        },
    )
