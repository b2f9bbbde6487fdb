"""POST /exams/{exam_id}/time-control: extend, pause or resume an exam's attempts at once."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, post
from litestar.params import FromPath, JSONBody

from application.use_cases.exam_time_control import ControlExamTime, ExamTimeCommand
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.exam_time_control import AffectedOut, ExamTimeIn


@post("/exams/{exam_id:uuid}/time-control", status_code=200)
@inject
async def control_exam_time(
    exam_id: FromPath[UUID],
    data: JSONBody[ExamTimeIn],
    request: ActorRequest,
    control: FromDishka[ControlExamTime],
) -> AffectedOut:
    command = ExamTimeCommand(
        actor=request.user,
        exam_id=exam_id,
        action=data.action,
        reason=data.reason,
        seconds=data.seconds,
        candidate_ids=data.candidate_ids,
    )
    return AffectedOut(affected=await control(command))


exam_time_routes = Router(path="/", route_handlers=[control_exam_time], tags=["time control"])
