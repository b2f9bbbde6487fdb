"""What registering webhooks and dispatching their deliveries need from the outside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.platform_events import PlatformEventType


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Webhook:
    id: UUID
    url: str
    events: tuple[PlatformEventType, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryRecord:
    """A delivery as an admin sees it."""

    id: int
    event_id: int
    event_type: PlatformEventType
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None  # None once delivered or failed
    delivered_at: datetime | None
    created_at: datetime


class WebhookRegistry(Protocol):
    """Registrations and their deliveries in the durable store; writes join the unit's
    transaction. The secret is kept so deliveries can be signed, sealed at rest."""

    async def add(self, webhook: Webhook, secret: str) -> None: ...

    async def registered(self) -> list[Webhook]:
        """Every registration, oldest first."""
        ...

    async def remove(self, webhook_id: UUID) -> bool:
        """Delete the registration and its deliveries; False if there was none."""
        ...

    async def exists(self, webhook_id: UUID) -> bool: ...

    async def deliveries(
        self, webhook_id: UUID, *, before: int | None, limit: int
    ) -> list[DeliveryRecord]:
        """Newest first, ids below `before` when given."""
        ...

    async def requeue(self, webhook_id: UUID, delivery_id: int, now: datetime) -> bool:
        """Make the delivery pending again, due now, with a fresh retry window; False if
        the webhook has no such delivery."""
        ...


class WebhookAddresses(Protocol):
    """Decides whether a URL may receive webhooks (the SSRF rule)."""

    async def ensure_deliverable(self, url: str) -> None:
        """Raise UnsafeWebhookUrl unless every address the host resolves to is public
        or the host is one the operator allowed."""
        ...


class WebhookSecrets(Protocol):
    def new_secret(self) -> str:
        """A fresh `whsec_` signing secret (Standard Webhooks format)."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class DueDelivery:
    """A delivery claimed by one dispatcher until `leased_until`, with what it sends."""

    id: int
    webhook_id: UUID
    url: str
    secret: str
    message_id: str  # webhook-id: the same on every try of this event
    body: bytes
    attempts: int  # tries made before this one
    retry_from: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SendOutcome:
    status_code: int | None  # None: no HTTP answer (refused, timed out, unsafe address)
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryResult:
    delivery_id: int
    outcome: SendOutcome
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    finished_at: datetime


class DeliveryQueue(Protocol):
    """The outbox's deliveries, shared by every dispatcher (rows taken SKIP LOCKED)."""

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[DueDelivery]:
        """Turn the outbox's new events into pending deliveries (one per registration that
        asked for the type; one dispatcher at a time), then lease up to `limit` due
        deliveries, each the earliest pending one of its
        attempt to its endpoint, so no two dispatchers send the same one at once and a
        later event of an attempt waits for the earlier. Commits the lease."""
        ...

    async def record(self, results: Sequence[DeliveryResult]) -> None:
        """Store the results of tries (one statement) and commit."""
        ...


class WebhookSender(Protocol):
    async def send(self, delivery: DueDelivery, now: datetime) -> SendOutcome:
        """POST the signed body once, within the delivery timeout, following no redirect;
        never raises for the receiver's failure (it is the outcome)."""
        ...
