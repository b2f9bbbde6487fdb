"""The peer: autosave as a typical FastAPI + asyncpg + redis-py service writes it.

Same contract and guarantees as Hourglass's save path, written the usual way: a JWT
dependency, a pydantic body, the session read from a Redis JSON cache (PostgreSQL on a
miss), `UPDATE … RETURNING *` and `INSERT` of the audit event in one transaction
(synchronous commit), then the whole session re-cached in Redis as a JSON blob.
Settings come from the same HOURGLASS_* variables as the service.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import jwt
import redis.asyncio as redis
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from pydantic import BaseModel, Field

NETWORK_GRACE = timedelta(seconds=2)
SESSION_TTL_SECONDS = 6 * 3600

UPDATE = """
UPDATE attempts
SET answers = answers || jsonb_build_object($2::text, $3::text),
    version = version + 1, updated_at = $5::timestamptz
WHERE id = $1 AND candidate_id = $6
  AND status = 'in_progress' AND paused_at IS NULL AND deadline > $5::timestamptz - $7::interval
  AND ($4::int IS NULL OR version = $4::int)
RETURNING *
"""
INSERT_EVENT = """
INSERT INTO attempt_events (attempt_id, version, kind, at, data)
VALUES ($1, $2, 'answer_saved', $3, $4)
"""
SELECT = "SELECT * FROM attempts WHERE id = $1"
QUESTIONS = "SELECT id, options FROM questions WHERE exam_id = $1"


class AnswerIn(BaseModel):
    option: str = Field(min_length=1)
    expected_version: int | None = Field(default=None, ge=0)


async def _json_codecs(connection: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await connection.set_type_codec(
            kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    env = os.environ
    app.state.pool = await asyncpg.create_pool(
        env["HOURGLASS_DATABASE_URL"],
        min_size=1,
        max_size=int(env.get("HOURGLASS_DATABASE_POOL_SIZE", "20")),
        init=_json_codecs,
    )
    app.state.redis = redis.Redis.from_url(env["HOURGLASS_REDIS_URL"])
    app.state.secret = env["HOURGLASS_JWT_SECRET"]
    app.state.prefix = env.get("HOURGLASS_REDIS_KEY_PREFIX", "hg") + ":peer:session:"
    app.state.questions = {}
    yield
    await app.state.redis.aclose()
    await app.state.pool.close()


def current_user(request: Request, authorization: Annotated[str, Header()] = "") -> dict[str, Any]:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "send Authorization: Bearer <token>")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            request.app.state.secret,
            algorithms=["HS256"],
            options={"require": ["exp", "sub"]},
        )
    except jwt.InvalidTokenError as error:
        raise HTTPException(401, f"invalid token: {error}") from error
    if claims.get("role") not in ("candidate", "admin"):
        raise HTTPException(401, "bad role")
    return claims


def _remaining(session: dict[str, Any], now: datetime) -> float:
    deadline = datetime.fromisoformat(session["deadline"])
    return max(0.0, (deadline - now).total_seconds())


async def _session(request: Request, attempt_id: UUID) -> dict[str, Any]:
    state = request.app.state
    cached = await state.redis.get(state.prefix + str(attempt_id))
    if cached is None:
        async with state.pool.acquire() as connection:
            row = await connection.fetchrow(SELECT, attempt_id)
        if row is None:
            raise HTTPException(404, "no such attempt")
        cached = json.dumps(dict(row), default=str)
    session: dict[str, Any] = json.loads(cached)
    return session


async def _options(request: Request, exam_id: str, question_id: str) -> list[str]:
    cache: dict[str, dict[str, list[str]]] = request.app.state.questions
    if exam_id not in cache:
        async with request.app.state.pool.acquire() as connection:
            rows = await connection.fetch(QUESTIONS, UUID(exam_id))
        cache[exam_id] = {row["id"]: [o["key"] for o in row["options"]] for row in rows}
    if question_id not in cache[exam_id]:
        raise HTTPException(404, "no such question in this attempt")
    return cache[exam_id][question_id]


def create_peer_app() -> FastAPI:
    app = FastAPI(lifespan=lifespan)

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.put("/api/v1/attempts/{attempt_id}/answers/{question_id}")
    async def save_answer(
        attempt_id: UUID,
        question_id: str,
        body: AnswerIn,
        request: Request,
        user: Annotated[dict[str, Any], Depends(current_user)],
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        session = await _session(request, attempt_id)
        if session["candidate_id"] != user["sub"]:
            raise HTTPException(403, "not your attempt")
        if body.option not in await _options(request, session["exam_id"], question_id):
            raise HTTPException(422, "not an option of this question")
        state = request.app.state
        async with state.pool.acquire() as connection, connection.transaction():
            row = await connection.fetchrow(
                UPDATE, attempt_id, question_id, body.option, body.expected_version, now,
                user["sub"], NETWORK_GRACE,
            )  # fmt: skip
            if row is None:
                current = await connection.fetchrow(SELECT, attempt_id)
                raise _refusal(current, body.expected_version, now)
            data = {"question_id": question_id, "option": body.option}
            await connection.execute(INSERT_EVENT, attempt_id, row["version"], now, data)
        session = json.loads(json.dumps(dict(row), default=str))
        await state.redis.set(
            state.prefix + str(attempt_id), json.dumps(session), ex=SESSION_TTL_SECONDS
        )
        return {
            "version": row["version"],
            "saved_at": now.isoformat(),
            "remaining_seconds": _remaining(session, now),
        }

    return app


def _refusal(row: asyncpg.Record | None, expected: int | None, now: datetime) -> HTTPException:
    if row is None:
        return HTTPException(404, "no such attempt")
    if row["status"] != "in_progress":
        return HTTPException(409, "attempt already final")
    if row["deadline"] <= now - NETWORK_GRACE:
        return HTTPException(410, "time is up")
    if expected is not None and row["version"] != expected:
        return HTTPException(409, {"current_version": row["version"]})
    return HTTPException(409, "attempt changed, retry")
