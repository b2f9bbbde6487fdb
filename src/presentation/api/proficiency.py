"""GET /candidates/{candidate_id}/proficiency: latest theta and se per exam."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Router, get

from application.use_cases.read_proficiency import GetProficiency
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.fields import CandidateIdInPath
from presentation.api.schemas.proficiency import ProficiencyOut


@get("/candidates/{candidate_id:str}/proficiency")
@inject
async def read_proficiency(
    candidate_id: CandidateIdInPath, request: ActorRequest, read: FromDishka[GetProficiency]
) -> list[ProficiencyOut]:
    return [
        ProficiencyOut(
            exam_id=estimate.exam_id,
            theta=estimate.theta,
            se=estimate.se,
            updated_at=estimate.updated_at,
            attempt_id=estimate.attempt_id,
        )
        for estimate in await read(request.user, candidate_id)
    ]


proficiency_routes = Router(path="/", route_handlers=[read_proficiency], tags=["adaptive"])
