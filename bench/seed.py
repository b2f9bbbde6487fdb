"""The bench's data: an exam, candidate tokens, started attempts, the request files."""

from __future__ import annotations

import asyncio
import json
import random
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import asyncpg

from application.identity import Role
from bench.loadgen import RequestLine
from presentation.api.auth import issue_token

API = "/api/v1"
# How the candidate page starts or reloads: the attempt with its question list.
WITH_QUESTIONS = "?include=questions"
OPTIONS = ("A", "B", "C", "D")
EXAM_SECONDS = 6 * 3600  # long enough that nothing expires during the run
TOKEN_LIFETIME = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Candidate:
    subject: str
    token: str


@dataclass(frozen=True, slots=True)
class Seeded:
    """Attempts in progress, each with its owner's token."""

    exam_id: str
    attempts: list[tuple[UUID, str]]  # (attempt id, token): the measured population
    conflicts: list[tuple[UUID, str]]  # attempts at version >= 1 that get stale writes


def candidates(secret: str, run: str, count: int, kind: str = "c") -> list[Candidate]:
    subjects = [f"bench-{run}-{kind}{index}" for index in range(count)]
    return [
        Candidate(s, issue_token(secret, subject=s, role=Role.CANDIDATE, lifetime=TOKEN_LIFETIME))
        for s in subjects
    ]


def admin_token(secret: str) -> str:
    return issue_token(secret, subject="bench-admin", role=Role.ADMIN, lifetime=TOKEN_LIFETIME)


def call(
    base_url: str, method: str, path: str, token: str, body: object | None = None
) -> tuple[int, Any]:
    """One JSON request with urllib: (status, decoded body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def create_exam(base_url: str, token: str, questions: int) -> str:
    body = {
        "title": "Bench fixed form",
        "mode": "fixed",
        "duration_seconds": EXAM_SECONDS,
        "grace_seconds": 30,
        "max_attempts": 1,
        "questions": [
            {
                "id": f"q{number}",
                "stem": f"Question {number}: which option is right?",
                "options": [{"key": key, "text": f"Option {key}"} for key in OPTIONS],
                "correct_key": OPTIONS[number % len(OPTIONS)],
            }
            for number in range(1, questions + 1)
        ],
    }
    status, exam = call(base_url, "POST", f"{API}/exams", token, body)
    if status != 201:
        raise RuntimeError(f"creating the exam answered {status}: {exam}")
    return str(exam["id"])


def start_lines(exam_id: str, people: list[Candidate]) -> Iterator[RequestLine]:
    for person in people:
        yield RequestLine("POST", f"{API}/exams/{exam_id}/attempts", person.token)


def start_and_prime(base_url: str, exam_id: str, people: list[Candidate]) -> list[tuple[UUID, str]]:
    """Start attempts one by one and save one answer each (version 1)."""
    started = []
    for person in people:
        status, attempt = call(base_url, "POST", f"{API}/exams/{exam_id}/attempts", person.token)
        if status not in (200, 201):
            raise RuntimeError(f"starting an attempt answered {status}: {attempt}")
        attempt_id = UUID(attempt["id"])
        path = f"{API}/attempts/{attempt_id}/answers/q1"
        status, saved = call(base_url, "PUT", path, person.token, {"option": "A"})
        if status != 200:
            raise RuntimeError(f"priming a save answered {status}: {saved}")
        started.append((attempt_id, person.token))
    return started


def attempts_in_progress(
    database_url: str, exam_id: str, people: list[Candidate]
) -> list[tuple[UUID, str]]:
    """(attempt id, token) of the candidates' attempts in progress, in candidate order."""
    rows = asyncio.run(_fetch(database_url, exam_id))
    by_candidate = {row["candidate_id"]: row["id"] for row in rows}
    return [(by_candidate[p.subject], p.token) for p in people if p.subject in by_candidate]


async def _fetch(database_url: str, exam_id: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database_url)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(
            "SELECT id, candidate_id FROM attempts WHERE exam_id = $1 AND status = 'in_progress'",
            UUID(exam_id),
        )
        return rows
    finally:
        await connection.close()


def save_lines(
    seeded: Seeded, *, count: int, questions: int, stale_share: float, seed: int = 5
) -> list[RequestLine]:
    """PUT answer requests over every attempt, a `stale_share` of them with a stale
    `expected_version` (0) on the conflict attempts, which must answer 409."""
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        if seeded.conflicts and rng.random() < stale_share:
            attempt_id, token = rng.choice(seeded.conflicts)
            body: dict[str, object] = {"option": rng.choice(OPTIONS), "expected_version": 0}
        else:
            attempt_id, token = seeded.attempts[index % len(seeded.attempts)]
            body = {"option": rng.choice(OPTIONS)}
        question = f"q{rng.randint(1, questions)}"
        path = f"{API}/attempts/{attempt_id}/answers/{question}"
        lines.append(RequestLine("PUT", path, token, json.dumps(body, separators=(",", ":"))))
    return lines


def remaining_lines(seeded: Seeded) -> list[RequestLine]:
    return [
        RequestLine("GET", f"{API}/attempts/{attempt_id}/remaining", token)
        for attempt_id, token in seeded.attempts
    ]


def submit_lines(seeded: Seeded) -> list[RequestLine]:
    return [
        RequestLine("POST", f"{API}/attempts/{attempt_id}/submit", token)
        for attempt_id, token in seeded.attempts
    ]


def hello_lines(seeded: Seeded) -> list[RequestLine]:
    return [RequestLine("GET", f"/hello/{attempt_id}") for attempt_id, _ in seeded.attempts]
