"""Routes of an adaptive attempt: the next item, and the response to it."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, get, post
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from application.use_cases.next_item import GetNextItem, NextItemQuery
from application.use_cases.record_response import RecordResponse, ResponseCommand
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.adaptive import NextItemOut, RecordedResponseOut, ResponseIn
from presentation.api.schemas.questions import candidate_question
from presentation.api.schemas.results import result_out


@get("/attempts/{attempt_id:uuid}/next-item")
@inject
async def next_item(
    attempt_id: FromPath[UUID], request: ActorRequest, get_next: FromDishka[GetNextItem]
) -> NextItemOut:
    found = await get_next(NextItemQuery(actor=request.user, attempt_id=attempt_id))
    if found.done or found.item is None:
        result = UNSET if found.result is None else result_out(found.result)
        return NextItemOut(done=True, result=result)
    return NextItemOut(done=False, item=candidate_question(found.item), position=found.position)


@post("/attempts/{attempt_id:uuid}/responses", status_code=200)
@inject
async def record_response(
    attempt_id: FromPath[UUID],
    data: JSONBody[ResponseIn],
    request: ActorRequest,
    record: FromDishka[RecordResponse],
) -> RecordedResponseOut:
    command = ResponseCommand(
        actor=request.user,
        attempt_id=attempt_id,
        item_id=data.item_id,
        option=data.option,
        expected_version=data.expected_version,
    )
    # Only the owning candidate may respond (RecordResponse refuses admins), so the reply
    # never carries theta or se: a candidate sees them in the result, at the end.
    recorded = await record(command)
    return RecordedResponseOut(
        items_completed=recorded.items_completed,
        done=recorded.done,
        version=recorded.version,
        result=UNSET if recorded.result is None else result_out(recorded.result),
    )


adaptive_routes = Router(path="/", route_handlers=[next_item, record_response], tags=["adaptive"])
