"""Webhooks: the registry behind the admin routes, and what a dispatcher is made of."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import Clock, Transaction
from application.webhooks.dispatcher import DispatchSettings, WebhookDispatcher
from application.webhooks.ports import (
    DeliveryQueue,
    WebhookAddresses,
    WebhookRegistry,
    WebhookSecrets,
    WebhookSender,
)
from application.webhooks.registration import WebhookAdministration
from domain.webhook_retry import RetrySchedule
from infrastructure.postgres.delivery_queue import SqlDeliveryQueue
from infrastructure.postgres.sessions import DatabaseSessions
from infrastructure.postgres.webhooks import SqlWebhookRegistry
from infrastructure.secrets import resolve_jwt_secret
from infrastructure.settings import Settings
from infrastructure.webhooks.addresses import ResolvingAddressGuard, parse_allowed_hosts
from infrastructure.webhooks.secrets import WebhookSecretBox
from infrastructure.webhooks.sender import AiohttpWebhookSender


def dispatch_settings(settings: Settings) -> DispatchSettings:
    return DispatchSettings(
        schedule=RetrySchedule(
            base=timedelta(seconds=settings.webhook_backoff_base_seconds),
            cap=timedelta(seconds=settings.webhook_backoff_cap_seconds),
        ),
        retry_window=timedelta(seconds=settings.webhook_retry_window_seconds),
        timeout=timedelta(seconds=settings.webhook_timeout_seconds),
        concurrency=settings.webhook_concurrency,
        batch_size=settings.webhook_batch_size,
        poll_interval=timedelta(seconds=settings.webhook_poll_interval_seconds),
    )


class WebhookProvider(Provider):
    scope = Scope.APP

    @provide
    def secret_box(self, settings: Settings) -> WebhookSecretBox:
        return WebhookSecretBox(resolve_jwt_secret(settings))

    @provide
    def secrets(self, box: WebhookSecretBox) -> WebhookSecrets:
        return box

    @provide
    def addresses(self, settings: Settings) -> WebhookAddresses:
        return ResolvingAddressGuard(parse_allowed_hosts(settings.webhook_allowed_hosts))

    @provide
    def registry(self, sessions: DatabaseSessions, box: WebhookSecretBox) -> WebhookRegistry:
        return SqlWebhookRegistry(sessions, box)

    @provide
    def administration(
        self,
        registry: WebhookRegistry,
        addresses: WebhookAddresses,
        secrets: WebhookSecrets,
        transaction: Transaction,
        clock: Clock,
    ) -> WebhookAdministration:
        return WebhookAdministration(registry, addresses, secrets, transaction, clock)

    @provide
    def queue(
        self, sessionmaker: async_sessionmaker[AsyncSession], box: WebhookSecretBox
    ) -> DeliveryQueue:
        return SqlDeliveryQueue(sessionmaker, box)

    @provide
    async def sender(self, settings: Settings) -> AsyncIterator[WebhookSender]:
        sender = AiohttpWebhookSender(
            allowed_hosts=parse_allowed_hosts(settings.webhook_allowed_hosts),
            timeout_seconds=settings.webhook_timeout_seconds,
            connections=settings.webhook_concurrency,
        )
        yield sender
        await sender.close()

    @provide
    def dispatcher(
        self, queue: DeliveryQueue, sender: WebhookSender, clock: Clock, settings: Settings
    ) -> WebhookDispatcher:
        return WebhookDispatcher(queue, sender, clock, dispatch_settings(settings))
