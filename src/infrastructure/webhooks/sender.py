"""The signed POST: Standard Webhooks headers by its own library, sent with aiohttp."""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from datetime import datetime
from urllib.parse import urlsplit

import aiohttp
from standardwebhooks.webhooks import Webhook as Signer

from application.webhooks.ports import DueDelivery, SendOutcome, WebhookSender
from infrastructure.webhooks.addresses import GuardedResolver, UnsafeAddress, is_public

_ERROR_LENGTH = 500


class AiohttpWebhookSender:
    """One connection pool for every endpoint (keep-alive per host); `close()` at the end."""

    def __init__(
        self, *, allowed_hosts: Collection[str], timeout_seconds: float, connections: int
    ) -> None:
        self._allowed = allowed_hosts
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._signers: dict[str, Signer] = {}

    def _client(self) -> aiohttp.ClientSession:
        # Made on first use, inside the event loop that will use it.
        if self._session is None:
            connector = aiohttp.TCPConnector(
                resolver=GuardedResolver(self._allowed), limit=self._connections
            )
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=self._timeout, auto_decompress=False
            )
        return self._session

    async def send(self, delivery: DueDelivery, now: datetime) -> SendOutcome:
        refusal = self._refused_literal(delivery.url)
        if refusal is not None:
            return SendOutcome(status_code=None, error=refusal)
        body = delivery.body.decode()
        signature = self._signer(delivery.secret).sign(delivery.message_id, now, body)
        headers = {
            "content-type": "application/json",
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
            "user-agent": "hourglass-webhooks",
        }
        try:
            async with self._client().post(
                delivery.url, data=delivery.body, headers=headers, allow_redirects=False
            ) as response:
                await response.read()  # the connection goes back to the pool only when read
                error = None if 200 <= response.status < 300 else f"HTTP {response.status}"
                return SendOutcome(status_code=response.status, error=error)
        except TimeoutError:
            return SendOutcome(status_code=None, error="timed out")
        except (aiohttp.ClientError, OSError) as error:
            return SendOutcome(status_code=None, error=_describe(error))

    def _signer(self, secret: str) -> Signer:
        signer = self._signers.get(secret)
        if signer is None:
            signer = self._signers[secret] = Signer(secret)
        return signer

    def _refused_literal(self, url: str) -> str | None:
        """aiohttp does not resolve an address literal, so the resolver never sees it."""
        host = urlsplit(url).hostname or ""
        if host.lower() in self._allowed:
            return None
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return None  # a name: the resolver checks it
        return None if is_public(host) else f"{host} is not a public address"

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _describe(error: BaseException) -> str:
    # aiohttp's connector errors hide the resolver's reason (an unsafe address) inside.
    cause = getattr(error, "os_error", None) or error.__cause__
    text = f"{type(error).__name__}: {error}"
    if isinstance(cause, UnsafeAddress):
        text = f"refused: {cause}"
    return text[:_ERROR_LENGTH]


_: type[WebhookSender] = AiohttpWebhookSender
