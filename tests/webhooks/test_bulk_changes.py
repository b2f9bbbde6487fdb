"""Exam-wide changes (time control, regrade) go through the outbox like single ones, and
the dispatcher's fan-out sends an event only to registrations made before it."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from typing import Any

from tests.api.conftest import ADMIN, auth, create_exam, start
from tests.backend import Backend
from tests.webhooks.conftest import (
    Client,
    deliveries,
    dispatch_once,
    dispatching,
    receiving,
    register,
)


async def _started(client: Client, exam_id: str, count: int) -> list[dict[str, Any]]:
    attempts = []
    for _ in range(count):
        response = await start(client, exam_id, f"wbulk-{uuid.uuid4().hex[:8]}")
        assert response.status_code == 201, response.text
        attempts.append(dict(response.json()))
    return attempts


async def test_exam_wide_time_changes_are_delivered_per_attempt_in_order(
    client: Client, backend: Backend
) -> None:
    async with receiving() as receiver:
        hook = await register(client, receiver.url, ["attempt.time_changed", "attempt.paused",
                                                     "attempt.resumed"])  # fmt: skip
        receiver.secret = hook["secret"]
        exam = await create_exam(client)
        attempts = await _started(client, exam["id"], 3)
        path = f"/api/v1/exams/{exam['id']}/time-control"
        for body in (
            {"action": "extend", "seconds": 90, "reason": "fire alarm"},
            {"action": "pause", "reason": "drill"},
            {"action": "resume", "reason": "over"},
        ):
            response = await client.post(path, json=body, headers=ADMIN)
            assert response.json() == {"affected": 3}, response.text
        ours = {attempt["id"] for attempt in attempts}
        async with dispatching(backend):
            # Earlier tests' events in this database may be stamped by a clock that
            # travelled ahead, so after this registration: only this exam's are counted.
            for _ in range(1000):
                own = [e for e in receiver.delivered() if e.body["data"]["attempt"]["id"] in ours]
                if len({entry.message_id for entry in own}) >= 9:
                    break
                await asyncio.sleep(0.02)
    assert all(entry.verified for entry in receiver.received)
    per_attempt: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in own:
        per_attempt[entry.body["data"]["attempt"]["id"]].append(entry.body)
    assert set(per_attempt) == {attempt["id"] for attempt in attempts}
    for attempt in attempts:
        bodies = per_attempt[attempt["id"]]
        assert [body["type"] for body in bodies] == [
            "attempt.time_changed",
            "attempt.paused",
            "attempt.resumed",
        ]
        assert [body["data"]["attempt"]["paused"] for body in bodies] == [False, True, False]
        assert [body["data"]["attempt"]["version"] for body in bodies] == [1, 2, 3]
    assert len(await deliveries(client, hook["id"])) >= 9


async def test_a_regrade_tells_the_platform_each_new_result(
    client: Client, backend: Backend
) -> None:
    async with receiving() as receiver:
        hook = await register(client, receiver.url, ["attempt.rescored"])
        receiver.secret = hook["secret"]
        exam = await create_exam(client)
        (attempt,) = await _started(client, exam["id"], 1)
        base = f"/api/v1/attempts/{attempt['id']}"
        candidate = auth(attempt["candidate_id"])
        await client.put(f"{base}/answers/q2", json={"option": "B"}, headers=candidate)
        assert (await client.post(f"{base}/submit", headers=candidate)).status_code == 200
        regraded = await client.post(
            f"/api/v1/exams/{exam['id']}/regrade",
            json={"question_id": "q2", "correct_key": "B", "reason": "the key was wrong"},
            headers=ADMIN,
        )
        assert regraded.json() == {"rescored": 1}, regraded.text
        async with dispatching(backend):
            (got,) = await receiver.wait_for(1)
    assert got.verified
    assert got.body["type"] == "attempt.rescored"
    assert got.body["data"]["attempt"]["id"] == attempt["id"]
    assert got.body["data"]["result"]["score"] > 0


async def test_an_event_is_not_sent_to_a_webhook_registered_after_it(
    client: Client, backend: Backend
) -> None:
    early = await register(client, "http://127.0.0.1:9/early", ["exam.created"])
    await create_exam(client)  # in the outbox, not yet fanned out
    late = await register(client, "http://127.0.0.1:9/late", ["exam.created"])
    await dispatch_once(backend)
    assert len(await deliveries(client, early["id"])) == 1
    assert await deliveries(client, late["id"]) == []
