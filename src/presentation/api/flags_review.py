"""Routes for a candidate's flags on an attempt, and for reviewing an attempt."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, delete, get, put
from litestar.params import FromPath

from application.use_cases.flags import FlagCommand, SetFlag
from application.use_cases.read_attempt import AttemptQuery
from application.use_cases.review_attempt import ReviewAttempt
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.fields import QuestionIdInPath
from presentation.api.schemas.flags_review import FlagsOut, QuestionReviewOut, question_review_out


async def _set(
    flag: SetFlag, request: ActorRequest, attempt_id: UUID, question_id: str, *, flagged: bool
) -> FlagsOut:
    command = FlagCommand(
        actor=request.user, attempt_id=attempt_id, question_id=question_id, flagged=flagged
    )
    return FlagsOut(flags=list(await flag(command)))


@put("/attempts/{attempt_id:uuid}/flags/{question_id:str}", status_code=200)
@inject
async def flag_question(
    attempt_id: FromPath[UUID],
    question_id: QuestionIdInPath,
    request: ActorRequest,
    flag: FromDishka[SetFlag],
) -> FlagsOut:
    """Flag a question to come back to (idempotent; no body)."""
    return await _set(flag, request, attempt_id, question_id, flagged=True)


@delete("/attempts/{attempt_id:uuid}/flags/{question_id:str}", status_code=200)
@inject
async def unflag_question(
    attempt_id: FromPath[UUID],
    question_id: QuestionIdInPath,
    request: ActorRequest,
    flag: FromDishka[SetFlag],
) -> FlagsOut:
    return await _set(flag, request, attempt_id, question_id, flagged=False)


@get("/attempts/{attempt_id:uuid}/review")
@inject
async def review_attempt(
    attempt_id: FromPath[UUID], request: ActorRequest, review: FromDishka[ReviewAttempt]
) -> list[QuestionReviewOut]:
    found = await review(AttemptQuery(actor=request.user, attempt_id=attempt_id))
    return [question_review_out(question) for question in found]


flag_and_review_routes = Router(
    path="/", route_handlers=[flag_question, unflag_question, review_attempt], tags=["attempts"]
)
