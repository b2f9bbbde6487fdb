"""The SSRF rule and the signing secrets, without a network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import InvalidToken
from standardwebhooks.webhooks import Webhook

from application.webhooks.errors import UnsafeWebhookUrl
from infrastructure.webhooks.addresses import (
    GuardedResolver,
    ResolvingAddressGuard,
    UnsafeAddress,
    is_public,
    parse_allowed_hosts,
)
from infrastructure.webhooks.secrets import WebhookSecretBox


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.100.100.200", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1",
        "224.0.0.1", "255.255.255.255",
    ],
)  # fmt: skip
def test_non_public_addresses(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert is_public(address)


def test_allowed_hosts_are_a_comma_separated_list() -> None:
    assert parse_allowed_hosts(" Localhost, 127.0.0.1 ,,") == {"localhost", "127.0.0.1"}
    assert parse_allowed_hosts("") == frozenset()


async def test_a_name_that_resolves_to_loopback_is_refused_unless_allowed() -> None:
    with pytest.raises(UnsafeWebhookUrl):
        await ResolvingAddressGuard(frozenset()).ensure_deliverable("http://localhost/hooks")
    await ResolvingAddressGuard({"localhost"}).ensure_deliverable("http://localhost/hooks")


async def test_an_unresolvable_host_is_refused() -> None:
    guard = ResolvingAddressGuard(frozenset())
    with pytest.raises(UnsafeWebhookUrl):
        await guard.ensure_deliverable("http://no-such-host.invalid/hooks")


async def test_the_senders_resolver_refuses_at_connection_time() -> None:
    # A name that resolved to a public address at registration and to loopback now.
    resolver = GuardedResolver(frozenset())
    try:
        with pytest.raises(UnsafeAddress):
            await resolver.resolve("localhost", 80)
    finally:
        await resolver.close()
    allowed = GuardedResolver({"localhost"})
    try:
        assert await allowed.resolve("localhost", 80)
    finally:
        await allowed.close()


def test_secrets_are_standard_webhooks_secrets_sealed_at_rest() -> None:
    box = WebhookSecretBox("a-jwt-secret")
    secret = box.new_secret()
    assert secret.startswith("whsec_")
    sealed = box.seal(secret)
    assert secret not in sealed
    assert box.open(sealed) == secret
    assert WebhookSecretBox("a-jwt-secret").open(sealed) == secret  # the key is derived
    signer = Webhook(secret)
    now = datetime.now(UTC)
    signature = signer.sign("msg_1", now, '{"a":1}')
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    assert signer.verify('{"a":1}', headers) == {"a": 1}


def test_another_jwt_secret_cannot_open_a_sealed_secret() -> None:
    sealed = WebhookSecretBox("one").seal("whsec_c2VjcmV0")
    with pytest.raises(InvalidToken):
        WebhookSecretBox("another").open(sealed)
