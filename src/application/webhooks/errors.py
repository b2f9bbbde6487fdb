"""Refusals of the webhook routes (application errors: no exam rule is involved)."""

from __future__ import annotations

from application.errors import ApplicationError


class UnsafeWebhookUrl(ApplicationError):
    """The URL is not http(s), or resolves to a loopback, private, link-local or metadata
    address and its host is not one the operator allowed."""

    default_message = "this URL may not receive webhooks"


class InvalidWebhook(ApplicationError):
    default_message = "invalid webhook registration"


class WebhookNotFound(ApplicationError):
    default_message = "no such webhook"


class DeliveryNotFound(ApplicationError):
    default_message = "no such delivery of this webhook"
