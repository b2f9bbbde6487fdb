"""The webhook routes: registration and its secret, listing, removal, and the SSRF rule."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.api.conftest import ADMIN, auth, create_exam
from tests.backend import Backend
from tests.webhooks.conftest import Client, deliveries, dispatch_once, register


async def test_registration_returns_a_whsec_secret_once(client: Client) -> None:
    hook = await register(client, "http://127.0.0.1:9/hooks", ["attempt.submitted"])
    assert hook["url"] == "http://127.0.0.1:9/hooks"
    assert hook["events"] == ["attempt.submitted"]
    assert hook["secret"].startswith("whsec_")
    uuid.UUID(hook["id"])

    listed = (await client.get("/api/v1/webhooks", headers=ADMIN)).json()
    assert [entry["id"] for entry in listed] == [hook["id"]]
    assert "secret" not in listed[0]


async def test_each_registration_gets_its_own_secret(client: Client) -> None:
    first = await register(client, "http://127.0.0.1:9/a")
    second = await register(client, "http://127.0.0.1:9/b")
    assert first["secret"] != second["secret"]


async def test_only_an_admin_manages_webhooks(client: Client) -> None:
    body = {"url": "http://127.0.0.1:9/hooks", "events": ["exam.created"]}
    candidate = auth("cand-w1")
    assert (await client.post("/api/v1/webhooks", json=body, headers=candidate)).status_code == 403
    assert (await client.get("/api/v1/webhooks", headers=candidate)).status_code == 403
    assert (await client.post("/api/v1/webhooks", json=body)).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"url": "http://127.0.0.1:9/hooks", "events": []},
        {"url": "http://127.0.0.1:9/hooks", "events": ["attempt.answered"]},
        {"url": "http://127.0.0.1:9/hooks"},
        {"url": "", "events": ["exam.created"]},
        {"url": "http://127.0.0.1:9/hooks", "events": ["exam.created"], "extra": 1},
    ],
)
async def test_a_malformed_registration_is_422(client: Client, body: dict[str, object]) -> None:
    response = await client.post("/api/v1/webhooks", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hooks",  # private
        "http://192.168.0.10/hooks",
        "http://172.16.5.4/hooks",
        "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
        "http://100.100.100.200/",  # carrier-grade NAT: another cloud's metadata
        "http://[::1]/hooks",  # loopback, not in the allowed list
        "http://[fd00:ec2::254]/",  # unique local: AWS's IPv6 metadata
        "http://[::ffff:10.0.0.1]/",  # IPv4-mapped private
        "http://0.0.0.0/",
        "ftp://example.com/hooks",  # not http(s)
        "http://user:pass@127.0.0.1/hooks",  # credentials in the URL
        "not a url",
    ],
)
async def test_private_loopback_and_metadata_addresses_are_refused(
    client: Client, url: str
) -> None:
    body = {"url": url, "events": ["exam.created"]}
    response = await client.post("/api/v1/webhooks", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.json()["type"] in {"/problems/unsafe-webhook-url", "/problems/invalid-request"}


async def test_an_allowed_host_may_be_loopback(client: Client) -> None:
    # HOURGLASS_WEBHOOK_ALLOWED_HOSTS lists 127.0.0.1 and localhost in these tests.
    await register(client, "http://localhost:9/hooks")
    await register(client, "http://127.0.0.1:9/hooks")


async def test_delete_removes_the_webhook_then_404(client: Client) -> None:
    hook = await register(client, "http://127.0.0.1:9/hooks")
    path = f"/api/v1/webhooks/{hook['id']}"
    assert (await client.delete(path, headers=ADMIN)).status_code == 204
    assert (await client.delete(path, headers=ADMIN)).status_code == 404
    listed = (await client.get("/api/v1/webhooks", headers=ADMIN)).json()
    assert hook["id"] not in [entry["id"] for entry in listed]
    assert (await client.get(f"{path}/deliveries", headers=ADMIN)).status_code == 404


async def test_deliveries_of_an_unknown_webhook_or_delivery_are_404(client: Client) -> None:
    unknown = uuid.uuid4()
    response = await client.get(f"/api/v1/webhooks/{unknown}/deliveries", headers=ADMIN)
    assert response.status_code == 404
    hook = await register(client, "http://127.0.0.1:9/hooks")
    assert await deliveries(client, hook["id"]) == []
    retry = f"/api/v1/webhooks/{hook['id']}/deliveries/999999999/retry"
    assert (await client.post(retry, headers=ADMIN)).status_code == 404
    beyond_bigint = f"/api/v1/webhooks/{hook['id']}/deliveries/{2**64}/retry"
    assert (await client.post(beyond_bigint, headers=ADMIN)).status_code in {400, 404, 422}
    page = f"/api/v1/webhooks/{hook['id']}/deliveries?before={2**64}"
    assert (await client.get(page, headers=ADMIN)).status_code in {400, 422}


async def test_deleting_a_webhook_deletes_its_deliveries(client: Client, backend: Backend) -> None:
    hook = await register(client, "http://127.0.0.1:9/hooks", ["exam.created"])
    await create_exam(client)
    assert await deliveries(client, hook["id"]) == []  # the event waits in the outbox
    await dispatch_once(backend)  # fanned out to its delivery (whose one try fails)
    assert len(await deliveries(client, hook["id"])) == 1
    assert (await client.delete(f"/api/v1/webhooks/{hook['id']}", headers=ADMIN)).status_code == 204
    connection = await asyncpg.connect(backend.database_url)
    try:
        left = await connection.fetchval(
            "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1", uuid.UUID(hook["id"])
        )
    finally:
        await connection.close()
    assert left == 0
