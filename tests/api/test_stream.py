"""The live timer over HTTP: ticks, a moved deadline, and the final status."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start, token

Client = AsyncTestClient[Litestar]


def _events(text: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


async def _read_stream(url: str, **request: Any) -> tuple[httpx.Response, str]:
    async with (
        httpx.AsyncClient(timeout=15) as http,
        http.stream("GET", url, **request) as response,
    ):
        body = "".join([chunk async for chunk in response.aiter_text()])
    return response, body


async def test_ticks_then_deadline_changed_then_final_status(
    client: Client, clock: TravellingClock, live_server: str
) -> None:
    exam = await create_exam(client, duration_seconds=60, grace_seconds=0)
    candidate = f"sse-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], candidate)).json()
    base = f"/api/v1/attempts/{attempt['id']}"
    await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=auth(candidate))

    async def admin_acts() -> None:
        await asyncio.sleep(0.7)
        extended = await client.post(
            f"{base}/extensions", json={"seconds": 30, "reason": "x"}, headers=ADMIN
        )
        assert extended.status_code == 200
        await asyncio.sleep(0.7)
        clock.advance(200)  # far past the deadline: the stream finalises and ends

    acting = asyncio.create_task(admin_acts())
    response, body = await asyncio.wait_for(
        _read_stream(live_server + f"{base}/stream", headers=auth(candidate)), timeout=20
    )
    await acting
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    events = _events(body)
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "remaining"
    assert kinds.count("remaining") >= 2
    assert "deadline_changed" in kinds
    assert kinds[-1] == "status"
    changed = next(data for kind, data in events if kind == "deadline_changed")
    assert changed["reason"] == "time_extended"
    assert {"remaining_seconds", "deadline", "server_time", "paused", "status"} <= changed.keys()
    final = events[-1][1]
    assert final["status"] == "expired"
    assert final["result"]["score"] == 2
    assert final["remaining_seconds"] == 0


async def test_stream_of_a_submitted_attempt_ends_with_its_status(
    client: Client, live_server: str
) -> None:
    exam = await create_exam(client)
    candidate = f"sse-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], candidate)).json()
    base = f"/api/v1/attempts/{attempt['id']}"

    async def submit_soon() -> None:
        await asyncio.sleep(0.5)
        assert (await client.post(f"{base}/submit", headers=auth(candidate))).status_code == 200

    submitting = asyncio.create_task(submit_soon())
    _, body = await asyncio.wait_for(
        _read_stream(live_server + f"{base}/stream", params={"access_token": token(candidate)}),
        timeout=20,
    )
    await submitting
    events = _events(body)
    assert events[-1][0] == "status"
    assert events[-1][1]["status"] == "submitted"


async def test_stream_access(client: Client) -> None:
    exam = await create_exam(client)
    attempt = (await start(client, exam["id"], "sse-owner")).json()
    path = f"/api/v1/attempts/{attempt['id']}/stream"
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, params={"access_token": "garbage"})).status_code == 401
    assert (await client.get(path, headers=auth("mallory"))).status_code == 403
    assert (
        await client.get(f"/api/v1/attempts/{uuid.uuid4()}/stream", headers=ADMIN)
    ).status_code == 404
    # the query token is only for the stream
    assert (
        await client.get(
            f"/api/v1/attempts/{attempt['id']}", params={"access_token": token("sse-owner")}
        )
    ).status_code == 401


async def _streams_open(http: httpx.AsyncClient, live_server: str) -> float:
    """Requests in progress on the live server, less the scrape that asks."""
    metrics = (await http.get(live_server + "/metrics")).text
    line = next(
        row for row in metrics.splitlines() if row.startswith("hourglass_http_requests_in_progress")
    )
    return float(line.split()[-1]) - 1


async def test_a_stream_whose_client_leaves_ends_at_once(client: Client, live_server: str) -> None:
    # A browser tab closed mid-exam must not leave its stream (and its watch of the attempt)
    # open until the attempt ends: nothing is sent to a gone client to notice it by.
    exam = await create_exam(client, duration_seconds=3600)
    candidate = f"sse-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], candidate)).json()
    url = live_server + f"/api/v1/attempts/{attempt['id']}/stream"
    async with httpx.AsyncClient(timeout=15) as http:
        before = await _streams_open(http, live_server)
        async with (
            httpx.AsyncClient(timeout=15) as page,
            page.stream("GET", url, headers=auth(candidate)) as response,
        ):
            first = await anext(response.aiter_text())
            assert first.startswith("event: remaining")
            assert await _streams_open(http, live_server) == before + 1
        for _ in range(100):  # the page's connection is closed: the stream ends
            if await _streams_open(http, live_server) == before:
                break
            await asyncio.sleep(0.05)
        assert await _streams_open(http, live_server) == before
