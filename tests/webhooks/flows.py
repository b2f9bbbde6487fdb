"""Attempts with a known sequence of platform events, for the ordering tests."""

from __future__ import annotations

from collections import defaultdict

from tests.api.conftest import ADMIN, auth, create_exam, start
from tests.webhooks.conftest import Client
from tests.webhooks.receiver import Received

ATTEMPT_EVENTS = ["attempt.started", "attempt.paused", "attempt.resumed", "attempt.submitted"]


async def run_attempts(client: Client, count: int, prefix: str) -> list[str]:
    """`count` attempts of one exam, each started, paused, resumed and submitted."""
    exam = await create_exam(client)
    ids = []
    for number in range(count):
        candidate = f"{prefix}-{number}"
        started = await start(client, exam["id"], candidate)
        assert started.status_code == 201, started.text
        base = f"/api/v1/attempts/{started.json()['id']}"
        paused = await client.post(f"{base}/pause", json={"reason": "break"}, headers=ADMIN)
        assert paused.status_code == 200, paused.text
        assert (await client.post(f"{base}/resume", headers=ADMIN)).status_code == 200
        assert (await client.post(f"{base}/submit", headers=auth(candidate))).status_code == 200
        ids.append(started.json()["id"])
    return ids


def assert_in_order_per_attempt(received: list[Received], attempt_ids: list[str]) -> None:
    """Every attempt's four events were accepted, and never one before an earlier one:
    a repeat (at least once) may only come before the next event is first sent."""
    positions: dict[str, list[int]] = defaultdict(list)
    for entry in received:
        if entry.attempt_id is not None:
            positions[entry.attempt_id].append(ATTEMPT_EVENTS.index(entry.type))
    for attempt_id in attempt_ids:
        sequence = positions[attempt_id]
        assert sequence == sorted(sequence), (attempt_id, sequence)
        assert sorted(set(sequence)) == [0, 1, 2, 3], (attempt_id, sequence)
