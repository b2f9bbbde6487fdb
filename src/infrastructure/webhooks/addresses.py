"""The SSRF rule: webhooks go to public addresses only, unless the operator allowed a host.

Checked when a URL is registered and again on every connection: the sender's resolver
refuses the same addresses, so a name that resolves to a public address at registration
and to 169.254.169.254 later (DNS rebinding) is refused at delivery, and the connection
is made to the very addresses that were checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from application.webhooks.errors import UnsafeWebhookUrl
from application.webhooks.ports import WebhookAddresses


def parse_allowed_hosts(setting: str) -> frozenset[str]:
    """HOURGLASS_WEBHOOK_ALLOWED_HOSTS: host names or addresses, comma-separated."""
    return frozenset(host.strip().lower() for host in setting.split(",") if host.strip())


def is_public(address: str) -> bool:
    # is_global is False for loopback, RFC 1918, link-local (so 169.254.169.254, the cloud
    # metadata address), carrier-grade NAT (100.64/10, Alibaba's metadata), unique local
    # IPv6 (fd00:ec2::254, AWS's) and the reserved ranges; IPv4-mapped IPv6 is unwrapped.
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class UnsafeAddress(OSError):
    """Raised inside a connection attempt: the host resolved to a refused address."""


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, refusing every non-public address of a host not allowed."""

    def __init__(self, allowed_hosts: Collection[str]) -> None:
        self._allowed = allowed_hosts
        self._resolver = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        if host.lower() in self._allowed:
            return found
        refused = [entry["host"] for entry in found if not is_public(entry["host"])]
        if refused:
            raise UnsafeAddress(f"{host} resolves to a non-public address ({refused[0]})")
        return found

    async def close(self) -> None:
        await self._resolver.close()


class ResolvingAddressGuard:
    def __init__(self, allowed_hosts: Collection[str]) -> None:
        self._allowed = allowed_hosts

    async def ensure_deliverable(self, url: str) -> None:
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError as error:
            raise UnsafeWebhookUrl(f"not a URL: {error}") from error
        if parts.scheme not in {"http", "https"} or not host:
            raise UnsafeWebhookUrl("a webhook URL is http:// or https:// with a host")
        if parts.username or parts.password:
            raise UnsafeWebhookUrl("a webhook URL carries no credentials")
        if host.lower() in self._allowed:
            return
        addresses = await _addresses(host, port or (443 if parts.scheme == "https" else 80))
        if not addresses:
            raise UnsafeWebhookUrl(f"{host} does not resolve")
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise UnsafeWebhookUrl(
                f"{host} resolves to {refused[0]}, a loopback, private, link-local or"
                " metadata address; the operator may allow the host"
                " (HOURGLASS_WEBHOOK_ALLOWED_HOSTS)"
            )


async def _addresses(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        found: list[Any] = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    return [str(entry[4][0]) for entry in found]


_: type[WebhookAddresses] = ResolvingAddressGuard
