"""Admin routes of webhooks: register (the secret shown once), list, remove, deliveries."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, delete, get, post
from litestar.params import FromPath, JSONBody, Parameter

from application.webhooks.ports import DeliveryRecord, Webhook
from application.webhooks.registration import WebhookAdministration
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.webhooks import (
    DeliveryOut,
    RegisteredWebhookOut,
    RetryAccepted,
    WebhookIn,
    WebhookOut,
)

MAX_DELIVERIES_PAGE = 500
# Delivery ids are PostgreSQL bigints: a larger number is a 422 here, not a driver error.
BIGINT_MAX = 2**63 - 1
DeliveryId = Annotated[int, Parameter(ge=1, le=BIGINT_MAX)]


@post("/webhooks", status_code=201)
@inject
async def register_webhook(
    data: JSONBody[WebhookIn], request: ActorRequest, webhooks: FromDishka[WebhookAdministration]
) -> RegisteredWebhookOut:
    registered = await webhooks.register(request.user, data.url, data.events)
    hook = registered.webhook
    return RegisteredWebhookOut(
        id=hook.id,
        url=hook.url,
        events=list(hook.events),
        created_at=hook.created_at,
        secret=registered.secret,
    )


@get("/webhooks")
@inject
async def list_webhooks(
    request: ActorRequest, webhooks: FromDishka[WebhookAdministration]
) -> list[WebhookOut]:
    return [_webhook_out(hook) for hook in await webhooks.registered(request.user)]


@delete("/webhooks/{webhook_id:uuid}", status_code=204)
@inject
async def delete_webhook(
    webhook_id: FromPath[UUID], request: ActorRequest, webhooks: FromDishka[WebhookAdministration]
) -> None:
    await webhooks.remove(request.user, webhook_id)


@get(
    "/webhooks/{webhook_id:uuid}/deliveries",
    description="Newest first; `before` (a delivery id) pages back through older ones.",
)
@inject
async def list_deliveries(
    webhook_id: FromPath[UUID],
    request: ActorRequest,
    webhooks: FromDishka[WebhookAdministration],
    limit: Annotated[int, Parameter(ge=1, le=MAX_DELIVERIES_PAGE)] = 100,
    before: Annotated[int | None, Parameter(ge=1, le=BIGINT_MAX)] = None,
) -> list[DeliveryOut]:
    found = await webhooks.deliveries(request.user, webhook_id, before=before, limit=limit)
    return [_delivery_out(record) for record in found]


@post("/webhooks/{webhook_id:uuid}/deliveries/{delivery_id:int}/retry", status_code=202)
@inject
async def retry_delivery(
    webhook_id: FromPath[UUID],
    delivery_id: DeliveryId,
    request: ActorRequest,
    webhooks: FromDishka[WebhookAdministration],
) -> RetryAccepted:
    await webhooks.retry(request.user, webhook_id, delivery_id)
    return RetryAccepted(id=delivery_id, status="pending")


def _webhook_out(hook: Webhook) -> WebhookOut:
    return WebhookOut(
        id=hook.id, url=hook.url, events=list(hook.events), created_at=hook.created_at
    )


def _delivery_out(record: DeliveryRecord) -> DeliveryOut:
    return DeliveryOut(
        id=record.id,
        event_id=record.event_id,
        event_type=record.event_type,
        status=record.status.value,
        attempts=record.attempts,
        response_code=record.last_status_code,
        last_error=record.last_error,
        next_attempt_at=record.next_attempt_at,
        delivered_at=record.delivered_at,
        created_at=record.created_at,
    )


webhook_routes = Router(
    path="/",
    route_handlers=[
        register_webhook,
        list_webhooks,
        delete_webhook,
        list_deliveries,
        retry_delivery,
    ],
    tags=["webhooks"],
)
