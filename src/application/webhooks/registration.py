"""An admin's webhook routes: register, list, remove, and inspect or retry deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import Clock, Transaction
from application.webhooks.errors import (
    DeliveryNotFound,
    InvalidWebhook,
    WebhookNotFound,
)
from application.webhooks.ports import (
    DeliveryRecord,
    Webhook,
    WebhookAddresses,
    WebhookRegistry,
    WebhookSecrets,
)
from domain.platform_events import PlatformEventType


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisteredWebhook:
    webhook: Webhook
    secret: str  # shown once, in the answer to the registration


class WebhookAdministration:
    """Every webhook route: each call checks the actor is an admin, then does one thing."""

    def __init__(
        self,
        registry: WebhookRegistry,
        addresses: WebhookAddresses,
        secrets: WebhookSecrets,
        transaction: Transaction,
        clock: Clock,
    ) -> None:
        self._registry = registry
        self._addresses = addresses
        self._secrets = secrets
        self._transaction = transaction
        self._clock = clock

    async def register(
        self, actor: Actor, url: str, events: Sequence[PlatformEventType]
    ) -> RegisteredWebhook:
        ensure_admin(actor)
        if not events:
            raise InvalidWebhook("a webhook needs at least one event type")
        await self._addresses.ensure_deliverable(url)
        webhook = Webhook(
            id=uuid4(),
            url=url,
            events=tuple(dict.fromkeys(events)),  # each type once, in the order given
            created_at=self._clock.now(),
        )
        secret = self._secrets.new_secret()
        await self._registry.add(webhook, secret)
        await self._transaction.commit()
        return RegisteredWebhook(webhook=webhook, secret=secret)

    async def registered(self, actor: Actor) -> list[Webhook]:
        ensure_admin(actor)
        return await self._registry.registered()

    async def remove(self, actor: Actor, webhook_id: UUID) -> None:
        ensure_admin(actor)
        if not await self._registry.remove(webhook_id):
            raise WebhookNotFound()
        await self._transaction.commit()

    async def deliveries(
        self, actor: Actor, webhook_id: UUID, *, before: int | None, limit: int
    ) -> list[DeliveryRecord]:
        ensure_admin(actor)
        if not await self._registry.exists(webhook_id):
            raise WebhookNotFound()
        return await self._registry.deliveries(webhook_id, before=before, limit=limit)

    async def retry(self, actor: Actor, webhook_id: UUID, delivery_id: int) -> None:
        """Send the delivery again from now, with a fresh retry window (a failed one, or a
        delivered one the receiver lost); one still pending just stays due."""
        ensure_admin(actor)
        if not await self._registry.requeue(webhook_id, delivery_id, self._clock.now()):
            raise DeliveryNotFound()
        await self._transaction.commit()
