"""Calibration over HTTP: a background job fits an exam's stored responses; a succeeded
one is applied as a new adaptive exam."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Response, Router, get, post
from litestar.params import FromPath, JSONBody

from application.use_cases.calibrations import (
    ApplyCalibration,
    ApplyCalibrationCommand,
    GetCalibration,
    RequestCalibration,
)
from domain.calibration import ItemModel
from presentation.api.auth import ActorRequest
from presentation.api.exam_bodies import exam_response
from presentation.api.exams import adaptive_rules
from presentation.api.injection import inject
from presentation.api.schemas.calibrations import (
    ApplyCalibrationIn,
    CalibrationIn,
    CalibrationOut,
    CalibrationQueuedOut,
    calibration_out,
)
from presentation.api.schemas.exams import ExamOut


@post("/exams/{exam_id:uuid}/calibration", status_code=202)
@inject
async def request_calibration(
    exam_id: FromPath[UUID],
    request: ActorRequest,
    start: FromDishka[RequestCalibration],
    data: JSONBody[CalibrationIn | None] = None,
) -> CalibrationQueuedOut:
    model = ItemModel((data or CalibrationIn()).model)
    job = await start(request.user, exam_id, model)
    return CalibrationQueuedOut(id=job.id, status=job.status.value)


@get("/calibrations/{calibration_id:uuid}")
@inject
async def read_calibration(
    calibration_id: FromPath[UUID], request: ActorRequest, read: FromDishka[GetCalibration]
) -> CalibrationOut:
    return calibration_out(await read(request.user, calibration_id))


@post("/calibrations/{calibration_id:uuid}/apply", status_code=201)
@inject
async def apply_calibration(
    calibration_id: FromPath[UUID],
    request: ActorRequest,
    apply: FromDishka[ApplyCalibration],
    data: JSONBody[ApplyCalibrationIn | None] = None,
) -> Response[ExamOut]:
    body = data or ApplyCalibrationIn()
    command = ApplyCalibrationCommand(
        actor=request.user,
        calibration_id=calibration_id,
        title=body.title,
        adaptive=None if body.adaptive is None else adaptive_rules(body.adaptive),
    )
    exam = await apply(command)
    return await exam_response(exam, with_keys=True, status_code=201)


calibration_routes = Router(
    path="/",
    route_handlers=[request_calibration, read_calibration, apply_calibration],
    tags=["adaptive"],
)
