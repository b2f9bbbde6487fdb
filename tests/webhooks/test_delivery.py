"""Deliveries to a real receiver: signed per Standard Webhooks, in order, with the body
the contract gives, written with the change (and never for answers or refused changes)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start
from tests.backend import Backend
from tests.webhooks.conftest import Client, deliveries, dispatching, receiving, register


async def _attempt(client: Client, candidate: str, exam_id: str | None = None) -> dict[str, Any]:
    exam_id = exam_id or (await create_exam(client))["id"]
    response = await start(client, exam_id, candidate)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _outbox_size(backend: Backend) -> int:
    connection = await asyncpg.connect(backend.database_url)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM webhook_events"))
    finally:
        await connection.close()


async def test_every_change_of_an_attempt_arrives_signed_and_in_order(
    client: Client, backend: Backend
) -> None:
    async with receiving() as receiver:
        hook = await register(client, receiver.url)
        receiver.secret = hook["secret"]
        exam = await create_exam(client)
        attempt = await _attempt(client, "cand-wd1", exam["id"])
        base = f"/api/v1/attempts/{attempt['id']}"
        reason = {"reason": "fire alarm"}
        assert (await client.post(f"{base}/pause", json=reason, headers=ADMIN)).status_code == 200
        assert (await client.post(f"{base}/resume", headers=ADMIN)).status_code == 200
        extension = {"seconds": 60, "reason": "accessibility"}
        extended = await client.post(f"{base}/extensions", json=extension, headers=ADMIN)
        assert extended.status_code == 200
        saved = await client.put(
            f"{base}/answers/q1", json={"option": "B"}, headers=auth("cand-wd1")
        )
        assert saved.status_code == 200
        submitted = await client.post(f"{base}/submit", headers=auth("cand-wd1"))
        assert submitted.status_code == 200

        async with dispatching(backend):
            got = await receiver.wait_for(6)

    assert all(entry.verified for entry in receiver.received)
    assert [entry.type for entry in got] == [
        "exam.created",
        "attempt.started",
        "attempt.paused",
        "attempt.resumed",
        "attempt.time_changed",
        "attempt.submitted",
    ]
    created = got[0].body
    assert created["data"]["exam"]["id"] == exam["id"]
    final = got[-1].body
    assert set(final) == {"type", "timestamp", "data"}
    assert final["data"]["attempt"]["id"] == attempt["id"]
    assert final["data"]["attempt"]["status"] == "submitted"
    assert final["data"]["result"]["score"] == 2.0
    assert "answers" not in final["data"]["attempt"]
    assert "result" not in got[1].body["data"]  # an attempt in progress has none yet

    listed = await deliveries(client, hook["id"])
    assert len(listed) == 6
    assert {entry["status"] for entry in listed} == {"delivered"}
    assert {entry["response_code"] for entry in listed} == {200}
    assert {entry["attempts"] for entry in listed} == {1}
    assert all(entry["next_attempt_at"] is None for entry in listed)


async def test_answers_write_no_outbox_row(client: Client, backend: Backend) -> None:
    attempt = await _attempt(client, "cand-wd2")
    base = f"/api/v1/attempts/{attempt['id']}"
    before = await _outbox_size(backend)
    for option in ("A", "B", "A"):
        response = await client.put(
            f"{base}/answers/q1", json={"option": option}, headers=auth("cand-wd2")
        )
        assert response.status_code == 200
    assert await client.delete(f"{base}/answers/q1", headers=auth("cand-wd2"))
    assert await _outbox_size(backend) == before


async def test_a_refused_change_writes_no_event(client: Client, backend: Backend) -> None:
    attempt = await _attempt(client, "cand-wd3")
    base = f"/api/v1/attempts/{attempt['id']}"
    assert (await client.post(f"{base}/submit", headers=auth("cand-wd3"))).status_code == 200
    before = await _outbox_size(backend)
    extension = {"seconds": 60, "reason": "too late"}
    refused = await client.post(f"{base}/extensions", json=extension, headers=ADMIN)
    assert refused.status_code == 409
    again = await client.post(f"{base}/submit", headers=auth("cand-wd3"))  # final: no change
    assert again.status_code == 200
    assert await _outbox_size(backend) == before


async def test_only_the_chosen_event_types_are_delivered(client: Client, backend: Backend) -> None:
    async with receiving() as receiver:
        hook = await register(client, receiver.url, ["attempt.submitted"])
        receiver.secret = hook["secret"]
        attempt = await _attempt(client, "cand-wd4")
        submitted = await client.post(
            f"/api/v1/attempts/{attempt['id']}/submit", headers=auth("cand-wd4")
        )
        assert submitted.status_code == 200
        async with dispatching(backend):
            got = await receiver.wait_for(1)
            await asyncio.sleep(0.3)
    assert [entry.type for entry in receiver.received] == ["attempt.submitted"]
    assert got[0].verified


async def test_expiry_is_an_event(client: Client, backend: Backend, clock: TravellingClock) -> None:
    async with receiving() as receiver:
        hook = await register(client, receiver.url, ["attempt.expired"])
        receiver.secret = hook["secret"]
        attempt = await _attempt(client, "cand-wd5")
        clock.advance(600 + 5 + 3)  # duration + grace + network grace
        # A read finalises an overdue attempt (lazy expiry, the sweeper's batch write).
        read = await client.get(f"/api/v1/attempts/{attempt['id']}", headers=auth("cand-wd5"))
        assert read.json()["status"] == "expired"
        async with dispatching(backend):
            got = await receiver.wait_for(1)
    assert got[0].type == "attempt.expired"
    assert got[0].body["data"]["result"]["status"] == "expired"
    assert got[0].verified


async def test_a_redirect_is_not_followed(client: Client, backend: Backend) -> None:
    from aiohttp import web

    followed: list[str] = []

    async def target(request: web.Request) -> web.Response:
        followed.append(request.path)
        return web.Response(status=200)

    async with receiving(extra_routes={"/elsewhere": target}) as landing:
        landing.location = f"http://127.0.0.1:{landing.port}/elsewhere"

        def redirect(_: int, __: dict[str, Any]) -> tuple[int, float]:
            return 307, 0.0

        landing.policy = redirect
        hook = await register(client, landing.url, ["exam.created"])
        landing.secret = hook["secret"]
        await create_exam(client)
        async with dispatching(backend, webhook_retry_window_seconds=0.5):
            await _until_status(client, hook["id"], "failed")
    assert followed == []
    listed = await deliveries(client, hook["id"])
    assert listed[0]["response_code"] == 307
    assert listed[0]["attempts"] >= 2


async def _until_status(client: Client, webhook_id: str, status: str, within: float = 10) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        listed = await deliveries(client, webhook_id)
        if listed and all(entry["status"] == status for entry in listed):
            return
        if loop.time() > deadline:
            raise AssertionError(f"not all {status}: {listed}")
        await asyncio.sleep(0.05)


async def test_the_sender_checks_the_address_again_at_delivery() -> None:
    """A receiver on loopback, with no host allowed: nothing reaches it, by address or by
    a name that resolves there (DNS rebinding after a registration)."""
    from datetime import UTC, datetime

    from application.webhooks.ports import DueDelivery
    from infrastructure.webhooks.sender import AiohttpWebhookSender

    sender = AiohttpWebhookSender(allowed_hosts=frozenset(), timeout_seconds=1, connections=4)
    async with receiving() as receiver:
        try:
            for host in ("127.0.0.1", "localhost"):
                delivery = DueDelivery(
                    id=1,
                    webhook_id=uuid.uuid4(),
                    url=f"http://{host}:{receiver.port}/hooks",
                    secret="whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
                    message_id="msg_1",
                    body=b"{}",
                    attempts=0,
                    retry_from=datetime.now(UTC),
                )
                outcome = await sender.send(delivery, datetime.now(UTC))
                assert outcome.status_code is None
                assert outcome.error is not None
                assert "public address" in outcome.error or "non-public" in outcome.error
        finally:
            await sender.close()
    assert receiver.received == []
