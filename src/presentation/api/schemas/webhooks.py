"""Bodies of the webhook routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from domain.platform_events import PlatformEventType

MAX_URL_LENGTH = 2_048


class WebhookIn(Struct, frozen=True, forbid_unknown_fields=True):
    url: Annotated[str, Meta(min_length=1, max_length=MAX_URL_LENGTH)]
    events: Annotated[list[PlatformEventType], Meta(min_length=1, max_length=20)]


class WebhookOut(Struct, frozen=True):
    id: UUID
    url: str
    events: list[PlatformEventType]
    created_at: datetime


class RegisteredWebhookOut(WebhookOut, frozen=True):
    secret: str  # whsec_…: shown in this answer only


class DeliveryOut(Struct, frozen=True):
    id: int
    event_id: int
    event_type: PlatformEventType
    status: str  # pending | delivered | failed
    attempts: int
    response_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class RetryAccepted(Struct, frozen=True):
    id: int
    status: str
