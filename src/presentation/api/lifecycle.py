"""Admin routes that end an attempt before its time, or reopen a final one."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, post
from litestar.params import FromPath, JSONBody

from application.use_cases.reopen_attempt import ReopenAttempt, ReopenCommand
from application.use_cases.terminate_attempt import TerminateAttempt, TerminateCommand
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.attempts import AttemptOut, attempt_out
from presentation.api.schemas.lifecycle import ReopenIn, TerminateIn
from presentation.api.schemas.results import ResultOut, result_out


@post("/attempts/{attempt_id:uuid}/terminate", status_code=200)
@inject
async def terminate_attempt(
    attempt_id: FromPath[UUID],
    data: JSONBody[TerminateIn],
    request: ActorRequest,
    terminate: FromDishka[TerminateAttempt],
) -> ResultOut:
    command = TerminateCommand(actor=request.user, attempt_id=attempt_id, reason=data.reason)
    return result_out(await terminate(command))


@post("/attempts/{attempt_id:uuid}/reopen", status_code=200)
@inject
async def reopen_attempt(
    attempt_id: FromPath[UUID],
    data: JSONBody[ReopenIn],
    request: ActorRequest,
    reopen: FromDishka[ReopenAttempt],
) -> AttemptOut:
    command = ReopenCommand(
        actor=request.user, attempt_id=attempt_id, seconds=data.seconds, reason=data.reason
    )
    view = await reopen(command)
    return attempt_out(view.attempt, view.server_time)


lifecycle_routes = Router(
    path="/", route_handlers=[terminate_attempt, reopen_attempt], tags=["lifecycle"]
)
