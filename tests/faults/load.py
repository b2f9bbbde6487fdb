"""A bounded save load and what it counts: acknowledged, stored, 5xx, 503s, expiry lag."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import jwt

SECRET = "fault-tests-secret-that-is-long-enough-for-hs256"


def headers(subject: str, role: str = "candidate") -> dict[str, str]:
    claims = {"sub": subject, "role": role, "exp": datetime.now(UTC) + timedelta(hours=1)}
    return {"Authorization": f"Bearer {jwt.encode(claims, SECRET, 'HS256')}"}


ADMIN = headers("fault-admin", "admin")


def exam_body(duration_seconds: float) -> dict[str, object]:
    return {
        "title": "Faults",
        "mode": "fixed",
        "duration_seconds": duration_seconds,
        "grace_seconds": 0,
        "max_attempts": 1,
        "questions": [
            {
                "id": f"q{n}",
                "stem": f"{n} + {n} = ?",
                "options": [{"key": "A", "text": str(2 * n)}, {"key": "B", "text": "0"}],
                "correct_key": "A",
            }
            for n in range(1, 6)
        ],
    }


@dataclass
class Tally:
    """What the clients saw. `acknowledged` holds (attempt id, version) of every 2xx save."""

    acknowledged: set[tuple[str, int]] = field(default_factory=set)
    last_acknowledged_at: float = 0.0  # time.monotonic() of the latest 2xx save
    statuses: dict[int, int] = field(default_factory=dict)
    no_answer: int = 0  # refused, reset or timed out: nothing acknowledged
    server_errors: list[tuple[float, int, str | None]] = field(default_factory=list)

    def saw(self, response: httpx.Response, at: float) -> None:
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            retry_after = response.headers.get("retry-after")
            self.server_errors.append((at, response.status_code, retry_after))


async def start_attempts(client: httpx.AsyncClient, exam_id: str, count: int) -> list[str]:
    started = []
    for _ in range(count):
        candidate = f"fault-{uuid.uuid4().hex[:10]}"
        response = await client.post(
            f"/api/v1/exams/{exam_id}/attempts", headers=headers(candidate)
        )
        assert response.status_code == 201, response.text
        started.append((response.json()["id"], candidate))
    return [f"{attempt_id}|{candidate}" for attempt_id, candidate in started]


async def save_load(
    client: httpx.AsyncClient, attempts: list[str], stop: asyncio.Event, max_saves: int
) -> Tally:
    """Each attempt's candidate saves answers one after another until `stop` is set, all
    candidates at once, `max_saves` in all; 429s are waited out as a client would."""
    tally = Tally()
    budget = [max_saves]

    async def candidate(entry: str) -> None:
        attempt_id, subject = entry.split("|")
        auth = headers(subject)
        turn = 0
        while not stop.is_set() and budget[0] > 0:
            budget[0] -= 1
            turn += 1
            url = f"/api/v1/attempts/{attempt_id}/answers/q{turn % 5 + 1}"
            try:
                response = await client.put(url, json={"option": "AB"[turn % 2]}, headers=auth)
            except httpx.TransportError:
                tally.no_answer += 1
                await asyncio.sleep(0.1)
                continue
            tally.saw(response, time.monotonic())
            if response.is_success:
                tally.acknowledged.add((attempt_id, int(response.json()["version"])))
                tally.last_acknowledged_at = time.monotonic()
            elif response.status_code in (429, 503):
                await asyncio.sleep(float(response.headers.get("retry-after", "1")) / 4)

    await asyncio.gather(*(candidate(entry) for entry in attempts))
    return tally


async def stored_saves(database_url: str, attempt_ids: list[str]) -> set[tuple[str, int]]:
    """(attempt id, version) of every answer event PostgreSQL holds for these attempts."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT attempt_id::text AS id, version FROM attempt_events"
            " WHERE attempt_id = ANY($1::uuid[]) AND kind IN ('answer_saved', 'answer_cleared')",
            attempt_ids,
        )
    finally:
        await connection.close()
    return {(row["id"], int(row["version"])) for row in rows}


async def expiry_lags(
    database_url: str, attempt_ids: list[str], network_grace: float, within: float
) -> list[float]:
    """Seconds from deadline + grace to the expired event, waiting up to `within` for all."""
    give_up = time.monotonic() + within
    connection = await asyncpg.connect(database_url)
    try:
        while True:
            rows = await connection.fetch(
                "SELECT EXTRACT(EPOCH FROM e.at - a.deadline) AS late FROM attempt_events e"
                " JOIN attempts a ON a.id = e.attempt_id"
                " WHERE e.kind = 'expired' AND a.id = ANY($1::uuid[])",
                attempt_ids,
            )
            if len(rows) == len(attempt_ids) or time.monotonic() > give_up:
                return [float(row["late"]) - network_grace for row in rows]
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
