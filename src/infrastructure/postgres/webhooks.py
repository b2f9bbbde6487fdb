"""Webhook registrations and their deliveries as an admin sees them, in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from application.webhooks.ports import (
    DeliveryRecord,
    DeliveryStatus,
    Webhook,
    WebhookRegistry,
)
from domain.platform_events import PlatformEventType
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import WebhookDeliveryRow, WebhookEventRow, WebhookRow
from infrastructure.postgres.sessions import SessionSource
from infrastructure.webhooks.secrets import WebhookSecretBox


class SqlWebhookRegistry:
    def __init__(self, sessions: SessionSource, box: WebhookSecretBox) -> None:
        self._sessions = sessions
        self._box = box

    @property
    def _session(self) -> AsyncSession:
        return self._sessions.current

    @translate_errors
    async def add(self, webhook: Webhook, secret: str) -> None:
        await self._session.execute(
            insert(WebhookRow).values(
                id=webhook.id,
                url=webhook.url,
                events=[event.value for event in webhook.events],
                secret=self._box.seal(secret),
                created_at=webhook.created_at,
            )
        )

    @translate_errors
    async def registered(self) -> list[Webhook]:
        rows = await self._session.scalars(select(WebhookRow).order_by(WebhookRow.created_at))
        return [_to_webhook(row) for row in rows]

    @translate_errors
    async def remove(self, webhook_id: UUID) -> bool:
        await self._session.execute(
            delete(WebhookDeliveryRow).where(WebhookDeliveryRow.webhook_id == webhook_id)
        )
        removed = await self._session.scalar(
            delete(WebhookRow).where(WebhookRow.id == webhook_id).returning(WebhookRow.id)
        )
        return removed is not None

    @translate_errors
    async def exists(self, webhook_id: UUID) -> bool:
        found = await self._session.scalar(select(WebhookRow.id).where(WebhookRow.id == webhook_id))
        return found is not None

    @translate_errors
    async def deliveries(
        self, webhook_id: UUID, *, before: int | None, limit: int
    ) -> list[DeliveryRecord]:
        query = (
            select(WebhookDeliveryRow, WebhookEventRow.type)
            .join(WebhookEventRow, WebhookEventRow.id == WebhookDeliveryRow.event_id)
            .where(WebhookDeliveryRow.webhook_id == webhook_id)
            .order_by(WebhookDeliveryRow.id.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(WebhookDeliveryRow.id < before)
        rows = await self._session.execute(query)
        return [_to_record(row, event_type) for row, event_type in rows]

    @translate_errors
    async def requeue(self, webhook_id: UUID, delivery_id: int, now: datetime) -> bool:
        requeued = await self._session.scalar(
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.id == delivery_id, WebhookDeliveryRow.webhook_id == webhook_id
            )
            .values(
                status=DeliveryStatus.PENDING.value,
                next_attempt_at=now,
                retry_from=now,
                delivered_at=None,
            )
            .returning(WebhookDeliveryRow.id)
        )
        return requeued is not None


def _to_webhook(row: WebhookRow) -> Webhook:
    return Webhook(
        id=row.id,
        url=row.url,
        events=tuple(PlatformEventType(event) for event in row.events),
        created_at=row.created_at,
    )


def _to_record(row: WebhookDeliveryRow, event_type: str) -> DeliveryRecord:
    status = DeliveryStatus(row.status)
    return DeliveryRecord(
        id=row.id,
        event_id=row.event_id,
        event_type=PlatformEventType(event_type),
        status=status,
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at if status is DeliveryStatus.PENDING else None,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
    )


_: type[WebhookRegistry] = SqlWebhookRegistry
