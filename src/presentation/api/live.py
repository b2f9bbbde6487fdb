"""The live timer of an attempt as server-sent events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, get
from litestar.params import FromPath

from application.use_cases.read_attempt import AttemptQuery
from application.use_cases.watch_attempt import AttemptTick, WatchAttempt
from presentation.api.auth import ActorRequest
from presentation.api.event_stream import EventStream, event_frame
from presentation.api.injection import inject
from presentation.api.schemas.attempts import section_time_out
from presentation.api.schemas.results import result_out


def _frame(tick: AttemptTick) -> bytes:
    body: dict[str, Any] = {
        "status": tick.status.value,
        "remaining_seconds": tick.remaining.total_seconds(),
        "deadline": tick.deadline,
        "server_time": tick.server_time,
        "paused": tick.paused,
    }
    if tick.reason is not None:
        body["reason"] = tick.reason
    if tick.result is not None:
        body["result"] = result_out(tick.result)
    if tick.section is not None:
        body["section"] = section_time_out(tick.section)
    return event_frame(tick.kind, body)


@get("/attempts/{attempt_id:uuid}/stream")
@inject
async def stream_attempt(
    attempt_id: FromPath[UUID], request: ActorRequest, watch: FromDishka[WatchAttempt]
) -> EventStream:
    """`remaining` first and then as a heartbeat (every HOURGLASS_STREAM_HEARTBEAT_SECONDS),
    `deadline_changed` at once when time is added or taken, paused, resumed or accommodated,
    `section_changed` when the running section changes (finished, timed out, moved on), and
    a final `status` with the result, after which the stream ends. EventSource clients,
    which cannot send headers, may pass the token as `?access_token=`."""
    ticks = await watch.open(AttemptQuery(actor=request.user, attempt_id=attempt_id))
    return EventStream(ticks, _frame)


live_routes = Router(path="/", route_handlers=[stream_attempt], tags=["attempts"])
