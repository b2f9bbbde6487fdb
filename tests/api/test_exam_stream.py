"""GET /exams/{exam_id}/stream: an exam's attempts live, over a real server."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start

Client = AsyncTestClient[Litestar]


async def _events(response: httpx.Response) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if "event" in fields:
                yield fields["event"], json.loads(fields["data"])
            fields = {}
        elif ": " in line:
            name, value = line.split(": ", 1)
            fields[name] = value


async def _next(events: AsyncIterator[tuple[str, dict[str, Any]]], kind: str) -> dict[str, Any]:
    async def find() -> dict[str, Any]:
        async for event, data in events:
            if event == kind:
                return data
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(find(), timeout=10)


async def test_the_stream_shows_starts_answers_time_changes_and_finalisation(
    client: Client, live_server: str
) -> None:
    exam = await create_exam(client, duration_seconds=600)
    first = f"ex-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], first)).json()
    base = f"/api/v1/attempts/{attempt['id']}"
    url = f"{live_server}/api/v1/exams/{exam['id']}/stream"
    async with (
        httpx.AsyncClient(timeout=15) as http,
        http.stream("GET", url, headers=ADMIN) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response)
        line = await _next(events, "attempt")
        assert (line["attempt_id"], line["candidate_id"]) == (attempt["id"], first)
        assert (line["status"], line["answered"], line["paused"]) == ("in_progress", 0, False)
        assert 590 <= line["remaining_seconds"] <= 600

        await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=auth(first))
        assert (await _next(events, "attempt"))["answered"] == 1

        await client.post(f"{base}/extensions", json={"seconds": 60, "reason": "x"}, headers=ADMIN)
        extended = await _next(events, "attempt")
        assert 650 <= extended["remaining_seconds"] <= 660

        await client.post(f"{base}/pause", json={"reason": "check"}, headers=ADMIN)
        assert (await _next(events, "attempt"))["paused"] is True
        await client.post(f"{base}/resume", json={"reason": "ok"}, headers=ADMIN)
        assert (await _next(events, "attempt"))["paused"] is False

        second = f"ex-{uuid.uuid4().hex[:8]}"
        started = (await start(client, exam["id"], second)).json()
        assert (await _next(events, "attempt"))["attempt_id"] == started["id"]

        await client.post(f"{base}/submit", headers=auth(first))
        final = await _next(events, "attempt")
        assert (final["attempt_id"], final["status"], final["score"]) == (
            attempt["id"],
            "submitted",
            2,
        )
        assert "server_time" in await _next(events, "heartbeat")


async def test_only_an_admin_streams_an_existing_exam(client: Client) -> None:
    exam = await create_exam(client)
    refused = await client.get(f"/api/v1/exams/{exam['id']}/stream", headers=auth("someone"))
    assert refused.status_code == 403
    missing = await client.get(f"/api/v1/exams/{uuid.uuid4()}/stream", headers=ADMIN)
    assert missing.status_code == 404
