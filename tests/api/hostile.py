"""What the hostile-input suites share: the routes that take a body or a path id, and a
fingerprint of everything stored, to show that a refused request changed nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest
from httpx import Response

from tests.backend import Backend

TABLES = ("exams", "questions", "attempts", "attempt_events", "accommodations")
# Every row of every table, hashed: any insert, update or delete changes it.
FINGERPRINT = "SELECT " + ", ".join(
    f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {table} t)"
    for table in TABLES
)


@pytest.fixture(scope="module")
async def database(backend: Backend) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(backend.database_url)
    try:
        yield connection
    finally:
        await connection.close()


async def fingerprint(database: asyncpg.Connection) -> tuple[str, ...]:
    row = await database.fetchrow(FINGERPRINT)
    assert row is not None
    return tuple(row)


@dataclass(frozen=True)
class Route:
    """A route that takes a JSON body, with a body it would accept."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    # Fields where a string stands in for a number or a boolean: strict decoding refuses it.
    typed: dict[str, Any] = field(default_factory=dict)
    # Fields that end up stored as text: U+0000 must be refused before PostgreSQL sees it.
    stored_text: tuple[str, ...] = ()

    def with_fields(self, **changes: Any) -> bytes:
        return json.dumps({**self.body, **changes}).encode()

    def name(self) -> str:
        return f"{self.method} {self.path}"


def is_problem(response: Response, status: int) -> bool:
    return response.status_code == status and response.headers["content-type"].startswith(
        "application/problem+json"
    )
