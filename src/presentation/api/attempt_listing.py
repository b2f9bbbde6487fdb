"""Routes that list attempts: an exam's (admin) and the caller's own (candidate)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, get
from litestar.params import FromPath, FromQuery, Parameter

from application.ports.attempt_listing import AttemptFilter
from application.use_cases.list_attempts import (
    ExamAttemptsQuery,
    ListExamAttempts,
    ListMyAttempts,
    MyAttemptsQuery,
)
from domain.result import AttemptStatus
from presentation.api.attempt_cursor import MAX_CURSOR_LENGTH, decode_cursor
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.attempt_listing import AttemptPageOut, attempt_page_out
from presentation.api.schemas.fields import CANDIDATE_ID_PATTERN

# Summaries carry no answers: a page of the largest size is a few hundred KB.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

Limit = Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Parameter(max_length=MAX_CURSOR_LENGTH)]


@get("/exams/{exam_id:uuid}/attempts")
@inject
async def list_exam_attempts(
    exam_id: FromPath[UUID],
    request: ActorRequest,
    list_page: FromDishka[ListExamAttempts],
    status: FromQuery[AttemptStatus | None] = None,
    candidate_id: Annotated[str | None, Parameter(pattern=CANDIDATE_ID_PATTERN)] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> AttemptPageOut:
    """The exam's attempts, oldest start first, without answers; `remaining_seconds` as of
    `server_time`. Pass `next_cursor` back as `cursor` for the next page (null: no more)."""
    query = ExamAttemptsQuery(
        actor=request.user,
        exam_id=exam_id,
        matching=AttemptFilter(status=status, candidate_id=candidate_id),
        after=decode_cursor(cursor),
        limit=limit,
    )
    return attempt_page_out(await list_page(query))


@get("/me/attempts")
@inject
async def list_my_attempts(
    request: ActorRequest,
    list_page: FromDishka[ListMyAttempts],
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> AttemptPageOut:
    """The caller's attempts at every exam, newest first, paged like the exam's."""
    query = MyAttemptsQuery(actor=request.user, before=decode_cursor(cursor), limit=limit)
    return attempt_page_out(await list_page(query))


attempt_listing_routes = Router(
    path="/", route_handlers=[list_exam_attempts, list_my_attempts], tags=["attempts"]
)
