"""Admin routes that change an attempt's time: extensions, pause, resume, accommodations."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, get, post, put
from litestar.params import FromPath, JSONBody

from application.ports import CandidateAccommodation
from application.use_cases.accommodations import (
    ListAccommodations,
    SetAccommodation,
    SetAccommodationCommand,
)
from application.use_cases.time_control import (
    ExtendTime,
    ExtendTimeCommand,
    PauseAttempt,
    PauseCommand,
    ResumeAttempt,
    ResumeCommand,
)
from domain.accommodation import Accommodation
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.attempts import AttemptOut, attempt_out
from presentation.api.schemas.fields import CandidateIdInPath
from presentation.api.schemas.time_control import (
    AccommodationIn,
    AccommodationOut,
    ExtensionIn,
    PauseIn,
)


@post("/attempts/{attempt_id:uuid}/extensions", status_code=200)
@inject
async def extend_time(
    attempt_id: FromPath[UUID],
    data: JSONBody[ExtensionIn],
    request: ActorRequest,
    extend: FromDishka[ExtendTime],
) -> AttemptOut:
    command = ExtendTimeCommand(
        actor=request.user, attempt_id=attempt_id, seconds=data.seconds, reason=data.reason
    )
    view = await extend(command)
    return attempt_out(view.attempt, view.server_time)


@post("/attempts/{attempt_id:uuid}/pause", status_code=200)
@inject
async def pause_attempt(
    attempt_id: FromPath[UUID],
    data: JSONBody[PauseIn],
    request: ActorRequest,
    pause: FromDishka[PauseAttempt],
) -> AttemptOut:
    view = await pause(PauseCommand(actor=request.user, attempt_id=attempt_id, reason=data.reason))
    return attempt_out(view.attempt, view.server_time)


@post("/attempts/{attempt_id:uuid}/resume", status_code=200)
@inject
async def resume_attempt(
    attempt_id: FromPath[UUID], request: ActorRequest, resume: FromDishka[ResumeAttempt]
) -> AttemptOut:
    view = await resume(ResumeCommand(actor=request.user, attempt_id=attempt_id))
    return attempt_out(view.attempt, view.server_time)


def _accommodation_out(granted: CandidateAccommodation) -> AccommodationOut:
    accommodation = granted.accommodation
    return AccommodationOut(
        candidate_id=granted.candidate_id,
        time_multiplier=accommodation.time_multiplier,
        extra_seconds=accommodation.extra_time.total_seconds(),
        reason=accommodation.reason,
        opens_at=accommodation.opens_at,
        closes_at=accommodation.closes_at,
        extra_attempts=accommodation.extra_attempts,
    )


@put("/exams/{exam_id:uuid}/accommodations/{candidate_id:str}")
@inject
async def set_accommodation(
    exam_id: FromPath[UUID],
    candidate_id: CandidateIdInPath,
    data: JSONBody[AccommodationIn],
    request: ActorRequest,
    accommodate: FromDishka[SetAccommodation],
) -> AccommodationOut:
    accommodation = Accommodation(
        time_multiplier=data.time_multiplier,
        extra_time=timedelta(seconds=data.extra_seconds),
        reason=data.reason,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        extra_attempts=data.extra_attempts,
    )
    command = SetAccommodationCommand(
        actor=request.user, exam_id=exam_id, candidate_id=candidate_id, accommodation=accommodation
    )
    return _accommodation_out(await accommodate(command))


@get("/exams/{exam_id:uuid}/accommodations")
@inject
async def list_accommodations(
    exam_id: FromPath[UUID], request: ActorRequest, list_all: FromDishka[ListAccommodations]
) -> list[AccommodationOut]:
    return [_accommodation_out(granted) for granted in await list_all(request.user, exam_id)]


time_control_routes = Router(
    path="/",
    route_handlers=[
        extend_time,
        pause_attempt,
        resume_attempt,
        set_accommodation,
        list_accommodations,
    ],
    tags=["time control"],
)
