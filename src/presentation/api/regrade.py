"""POST /exams/{exam_id}/regrade: a question's key fixed, or full credit, for every attempt."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, post
from litestar.params import FromPath, JSONBody

from application.use_cases.regrade_question import RegradeCommand, RegradeQuestion
from domain.errors import InvalidExamDefinition
from domain.regrade import Regrade
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.regrade import RegradeIn, RescoredOut


@post("/exams/{exam_id:uuid}/regrade", status_code=200)
@inject
async def regrade_question(
    exam_id: FromPath[UUID],
    data: JSONBody[RegradeIn],
    request: ActorRequest,
    regrade: FromDishka[RegradeQuestion],
) -> RescoredOut:
    command = RegradeCommand(
        actor=request.user, exam_id=exam_id, regrade=_regrade(data), reason=data.reason
    )
    return RescoredOut(rescored=await regrade(command))


def _regrade(data: RegradeIn) -> Regrade:
    if data.correct_key is not None and data.correct_keys is not None:
        raise InvalidExamDefinition("give correct_key or correct_keys, not both")
    keys = [data.correct_key] if data.correct_key is not None else data.correct_keys
    return Regrade(
        question_id=data.question_id,
        correct_keys=None if keys is None else frozenset(keys),
        full_credit=data.full_credit,
    )


regrade_routes = Router(path="/", route_handlers=[regrade_question], tags=["regrade"])
