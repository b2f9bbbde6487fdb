"""The exam morning's floor: the routes a candidate calls, answered by Litestar from memory.

The morning is run against this app too, under the same generator, ASGI server and
settings, and the service's figures are reported against it. Each candidate costs the
floor what its requests (the start with its questions and the stream, as the candidate
page asks; three with the question list apart) and two new connections cost uvicorn,
Litestar and the event loop, with no token checked, no database, no cache and no rule
applied; what the service spends above that is its own work. The floor cannot be beaten by any code
behind these routes on this server and framework, so it also says how far the goal of
10,000 candidates in 10 s is from what one process on this machine can do at all.

Same shapes as the service where the generator reads them (an attempt's `id`, the
questions' `id`s, the stream's `event:` lines, a `status` event at submit or at the
deadline), the service's stream response class and heartbeat, and the service's
collector settings.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import msgspec
from litestar import Litestar, Request, Response, get, post, put
from litestar.openapi import OpenAPIConfig
from litestar.params import FromPath, FromQuery, JSONBody

from bench.seed import API, OPTIONS
from presentation.api.event_stream import EventStream, event_frame
from presentation.bootstrap.heap import settle_heap

HEARTBEAT_SECONDS = 20.0  # the service's default (WatchSettings.heartbeat)


@dataclass(slots=True)
class _Attempt:
    deadline: float  # on the loop's clock
    final: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(slots=True)
class _Memory:
    exams: dict[UUID, float] = field(default_factory=dict)  # id -> duration in seconds
    attempts: dict[UUID, _Attempt] = field(default_factory=dict)


_MEMORY = _Memory()
# The question list as bytes, encoded once: the service keeps a plain exam's list so too.
_OPTIONS = [{"key": key, "text": f"Option {key}"} for key in OPTIONS]
_QUESTION_LIST = msgspec.json.encode(
    [{"id": f"q{n}", "stem": f"Question {n}?", "options": _OPTIONS} for n in range(1, 21)]
)


@get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@post(f"{API}/exams")
async def create_exam(data: JSONBody[dict[str, Any]]) -> dict[str, str]:
    exam_id = uuid4()
    _MEMORY.exams[exam_id] = float(data["duration_seconds"])
    return {"id": str(exam_id)}


@get(f"{API}/exams/{{exam_id:uuid}}")
async def read_exam(exam_id: FromPath[UUID]) -> dict[str, str]:
    return {"id": str(exam_id)}


@post(f"{API}/exams/{{exam_id:uuid}}/attempts")
async def start(exam_id: FromPath[UUID], include: FromQuery[str | None] = None) -> Response[bytes]:
    attempt_id = uuid4()
    loop = asyncio.get_running_loop()
    _MEMORY.attempts[attempt_id] = _Attempt(deadline=loop.time() + _MEMORY.exams[exam_id])
    body = b'{"id":"%s","status":"in_progress"' % str(attempt_id).encode()
    if include == "questions":
        body += b',"questions":' + _QUESTION_LIST
    return Response(body + b"}", media_type="application/json", status_code=201)


@get(f"{API}/attempts/{{attempt_id:uuid}}/questions")
async def questions(attempt_id: FromPath[UUID]) -> Response[bytes]:
    return Response(_QUESTION_LIST, media_type="application/json")


@put(f"{API}/attempts/{{attempt_id:uuid}}/answers/{{question_id:str}}")
async def save(
    attempt_id: FromPath[UUID], question_id: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    await request.body()
    return {"question_id": question_id, "version": 1}


@post(f"{API}/attempts/{{attempt_id:uuid}}/submit", status_code=200)
async def submit(attempt_id: FromPath[UUID]) -> dict[str, str]:
    _MEMORY.attempts[attempt_id].final.set()
    return {"status": "submitted"}


@get(f"{API}/attempts/{{attempt_id:uuid}}/stream")
async def stream(attempt_id: FromPath[UUID]) -> EventStream:
    return EventStream(_events(_MEMORY.attempts[attempt_id]), _frame)


async def _events(attempt: _Attempt) -> AsyncIterator[str]:
    """`remaining` now and at each heartbeat; `status` at submit or at the deadline."""
    loop = asyncio.get_running_loop()
    while True:
        yield "remaining"
        wait = min(HEARTBEAT_SECONDS, attempt.deadline - loop.time())
        try:
            await asyncio.wait_for(attempt.final.wait(), max(0.0, wait))
        except TimeoutError:
            if loop.time() < attempt.deadline:
                continue
        yield "status"
        return


def _frame(kind: str) -> bytes:
    return event_frame(kind, {"status": "in_progress" if kind == "remaining" else "submitted"})


def create_floor_app() -> Litestar:
    return Litestar(
        route_handlers=[live, create_exam, read_exam, start, questions, save, submit, stream],
        openapi_config=OpenAPIConfig(title="morning floor", version="1.0.0", path="/schema"),
        logging_config=None,
        on_startup=[settle_heap],
    )
