"""Admin routes that end an attempt before its time."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, post
from litestar.params import FromPath, JSONBody

from application.use_cases.terminate_attempt import TerminateAttempt, TerminateCommand
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.lifecycle import TerminateIn
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


lifecycle_routes = Router(path="/", route_handlers=[terminate_attempt], tags=["lifecycle"])
