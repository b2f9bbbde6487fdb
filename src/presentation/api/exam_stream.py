"""GET /exams/{exam_id}/stream: every attempt of an exam, live, as server-sent events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, get
from litestar.params import FromPath

from application.use_cases.watch_exam import AttemptLine, Heartbeat, WatchExam
from presentation.api.auth import ActorRequest
from presentation.api.event_stream import EventStream, event_frame
from presentation.api.injection import inject


def _frame(item: AttemptLine | Heartbeat) -> bytes:
    if isinstance(item, Heartbeat):
        body: dict[str, Any] = {"server_time": item.server_time}
        return event_frame("heartbeat", body)
    body = {
        "attempt_id": item.attempt_id,
        "candidate_id": item.candidate_id,
        "status": item.status.value,
        "answered": item.answered,
        "remaining_seconds": item.remaining.total_seconds(),
        "deadline": item.deadline,
        "paused": item.paused,
        "server_time": item.server_time,
        "score": item.score,
    }
    return event_frame("attempt", body)


@get("/exams/{exam_id:uuid}/stream")
@inject
async def stream_exam(
    exam_id: FromPath[UUID], request: ActorRequest, watch: FromDishka[WatchExam]
) -> EventStream:
    """An `attempt` event per attempt first, then one whenever an attempt starts, answers,
    has its time changed, is paused or resumed, or becomes final; a `heartbeat` when all
    is quiet. EventSource clients may pass the admin token as `?access_token=`."""
    items = await watch.open(request.user, exam_id)
    return EventStream(items, _frame)


exam_stream_routes = Router(path="/", route_handlers=[stream_exam], tags=["proctoring"])
