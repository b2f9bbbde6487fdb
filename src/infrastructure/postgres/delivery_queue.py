"""The deliveries every dispatcher shares: fanned out from the outbox's events, leased
SKIP LOCKED, in order per attempt.

Each call is its own short transaction on its own session (not the unit of work's): the
dispatcher's sends run concurrently, and none holds a row lock while it waits on HTTP.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.webhooks.ports import DeliveryQueue, DeliveryResult, DueDelivery
from infrastructure.postgres.errors import translate_errors
from infrastructure.webhooks.secrets import WebhookSecretBox

# Events written since the last fan-out become one pending delivery per registration that
# asked for their type, in event-id order. One dispatcher at a time fans out (the others
# find the advisory lock taken and only claim): deliveries of an attempt's later event
# then never exist before those of its earlier one, which the claim's order check needs
# (an attempt's events are written under its row lock, so their ids follow their
# commits). FOR UPDATE re-reads a row another fan-out has just marked, so none is fanned
# out twice. An event goes to the registrations made by the time it happened (both times
# are the service's clock), as when the change wrote the deliveries itself. Deliveries
# start due at the dispatcher's `now`, as the claim judges them.
_FAN_OUT = text(
    """
    WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(:lock_key) AS held),
    fresh AS (
        SELECT event.id, event.type, event.subject_id, event.occurred_at
        FROM webhook_events AS event
        WHERE NOT event.fanned_out AND (SELECT held FROM lock)
        ORDER BY event.id
        LIMIT :limit
        FOR UPDATE
    ),
    marked AS (
        UPDATE webhook_events AS event SET fanned_out = true
        FROM fresh WHERE event.id = fresh.id
    )
    INSERT INTO webhook_deliveries (webhook_id, event_id, subject_id, next_attempt_at, retry_from)
    SELECT webhook.id, fresh.id, fresh.subject_id, :now, :now
    FROM fresh JOIN webhooks AS webhook
      ON fresh.type = ANY(webhook.events) AND webhook.created_at <= fresh.occurred_at
    ORDER BY fresh.id, webhook.id
    """
)

# Any constant: the fan-out's advisory lock, unique among this database's advisory locks.
FAN_OUT_LOCK = 0x686F7572676C6173  # "hourglas"
# Events fanned out per claim: more than one claim sends, so the fan-out keeps ahead.
FAN_OUT_BATCH = 1_000
# After a fan-out that made no delivery, claims skip the fan-out this long.
FAN_OUT_QUIET_SECONDS = 0.1

# A delivery is due when its time has come, no dispatcher holds its lease, and no earlier
# event of the same attempt to the same endpoint is still pending (the partial index
# ix_webhook_deliveries_pending_order answers that). Earliest due first.
_CLAIM = text(
    """
    WITH due AS (
        SELECT delivery.id FROM webhook_deliveries AS delivery
        WHERE delivery.status = 'pending'
          AND delivery.next_attempt_at <= :now
          AND delivery.leased_until <= :now
          AND NOT EXISTS (
              SELECT 1 FROM webhook_deliveries AS earlier
              WHERE earlier.status = 'pending'
                AND earlier.webhook_id = delivery.webhook_id
                AND earlier.subject_id = delivery.subject_id
                AND earlier.event_id < delivery.event_id
          )
        ORDER BY delivery.next_attempt_at, delivery.id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE webhook_deliveries AS delivery SET leased_until = :lease_until
    FROM due, webhooks AS webhook, webhook_events AS event
    WHERE delivery.id = due.id AND webhook.id = delivery.webhook_id
      AND event.id = delivery.event_id
    RETURNING delivery.id, delivery.webhook_id, delivery.attempts, delivery.retry_from,
              webhook.url, webhook.secret, event.id, event.type, event.occurred_at, event.data
    """
)

# Only a row still pending is written: an admin may have deleted the webhook meanwhile.
_RECORD = text(
    """
    UPDATE webhook_deliveries AS delivery SET
        status = given.status, attempts = given.attempts,
        next_attempt_at = coalesce(given.next_attempt_at, delivery.next_attempt_at),
        last_status_code = given.status_code, last_error = given.error,
        delivered_at = CASE WHEN given.status = 'delivered' THEN given.finished_at END,
        leased_until = '-infinity'
    FROM unnest(
        CAST(:ids AS bigint[]), CAST(:statuses AS text[]), CAST(:attempts AS int[]),
        CAST(:next_attempts AS timestamptz[]), CAST(:codes AS int[]),
        CAST(:errors AS text[]), CAST(:finished AS timestamptz[])
    ) AS given(id, status, attempts, next_attempt_at, status_code, error, finished_at)
    WHERE delivery.id = given.id AND delivery.status = 'pending'
    """
)


class SqlDeliveryQueue:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], box: WebhookSecretBox
    ) -> None:
        self._sessionmaker = sessionmaker
        self._box = box
        self._secrets: dict[str, str] = {}  # sealed -> secret: opening costs an HMAC each
        self._quiet_until = 0.0  # monotonic: no fan-out before, the last one found nothing

    @translate_errors
    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[DueDelivery]:
        async with self._sessionmaker() as session, session.begin():
            if time.monotonic() >= self._quiet_until:
                fanned: Any = await session.execute(
                    _FAN_OUT, {"lock_key": FAN_OUT_LOCK, "limit": FAN_OUT_BATCH, "now": now}
                )
                # A busy dispatcher claims many times a second; while the outbox is empty
                # (or another dispatcher fans out) the statement is skipped for a moment,
                # which spares a round trip per claim for at most that much latency.
                quiet = fanned.rowcount == 0
                self._quiet_until = time.monotonic() + FAN_OUT_QUIET_SECONDS if quiet else 0.0
            rows = await session.execute(
                _CLAIM, {"now": now, "lease_until": lease_until, "limit": limit}
            )
            claimed = [self._due(row) for row in rows]
        # Oldest event first, so one batch starts its sends in the order they happened.
        return sorted(claimed, key=lambda delivery: delivery.id)

    @translate_errors
    async def record(self, results: Sequence[DeliveryResult]) -> None:
        if not results:
            return
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                _RECORD,
                {
                    "ids": [result.delivery_id for result in results],
                    "statuses": [result.status.value for result in results],
                    "attempts": [result.attempts for result in results],
                    "next_attempts": [result.next_attempt_at for result in results],
                    "codes": [result.outcome.status_code for result in results],
                    "errors": [result.outcome.error for result in results],
                    "finished": [result.finished_at for result in results],
                },
            )

    def _due(self, row: Any) -> DueDelivery:
        (delivery_id, webhook_id, attempts, retry_from, url, sealed, event_id, event_type,
         occurred_at, data) = row  # fmt: skip
        secret = self._secrets.get(sealed)
        if secret is None:
            secret = self._secrets[sealed] = self._box.open(sealed)
        body = {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data}
        return DueDelivery(
            id=delivery_id,
            webhook_id=webhook_id,
            url=url,
            secret=secret,
            message_id=f"msg_{event_id}",
            body=json.dumps(body, separators=(",", ":")).encode(),
            attempts=attempts,
            retry_from=retry_from,
        )


_: type[DeliveryQueue] = SqlDeliveryQueue
