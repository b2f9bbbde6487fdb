"""Routes for a candidate's attempt: start, read, answer, submit, audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, cast
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Response, Router, delete, get, post, put
from litestar.enums import MediaType
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from msgspec import UNSET, UnsetType

from application.use_cases.change_answer import AnswerCommand, ChangeAnswer, SavedAnswer
from application.use_cases.read_attempt import (
    AttemptQuery,
    GetAttempt,
    GetRemainingTime,
    ListAttemptEvents,
    ListQuestions,
    QuestionListing,
)
from application.use_cases.score_answer import ScoreAnswer, ScoreCommand
from application.use_cases.sections import FinishSection, MoveOn, SectionCommand
from application.use_cases.start_attempt import StartAttempt, StartAttemptCommand
from application.use_cases.submit_attempt import SubmitAttempt
from domain.attempt import Attempt
from domain.exam import ExamMode
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.json_body import decode_json_body
from presentation.api.question_lists import SharedQuestionLists
from presentation.api.schemas.attempts import (
    AnswerIn,
    AttemptOut,
    ClearAnswerIn,
    EventOut,
    RemainingOut,
    SavedAnswerOut,
    ScoreIn,
    attempt_out,
    event_out,
    section_time_out,
)
from presentation.api.schemas.fields import MAX_VERSION, QuestionIdInPath
from presentation.api.schemas.questions import QuestionForCandidate, candidate_question
from presentation.api.schemas.results import ResultOut, result_out

# Keyed by the exam object itself, so apps sharing a process cannot see each other's.
_SHARED_LISTS = SharedQuestionLists()


# The page starts (or reloads) an attempt and lists its questions in one round trip: at
# 9:00 a request fewer per candidate, and a round trip less before question 1 shows.
IncludeQuestions = Annotated[
    Literal["questions"] | None,
    QueryParameter(
        description="`questions`: a fixed-form attempt comes with what GET .../questions "
        "lists (an adaptive one serves one item at a time, and comes without them).",
    ),
]


@post("/exams/{exam_id:uuid}/attempts")
@inject
async def start_attempt(
    exam_id: FromPath[UUID],
    request: ActorRequest,
    start: FromDishka[StartAttempt],
    questions: FromDishka[ListQuestions],
    include: IncludeQuestions = None,
) -> Response[AttemptOut]:
    started = await start(StartAttemptCommand(actor=request.user, exam_id=exam_id))
    listed = await _included(include, started.attempt, request, questions)
    body = attempt_out(started.attempt, started.server_time, listed)
    return Response(body, status_code=201 if started.created else 200)


@get("/attempts/{attempt_id:uuid}")
@inject
async def get_attempt(
    attempt_id: FromPath[UUID],
    request: ActorRequest,
    read: FromDishka[GetAttempt],
    questions: FromDishka[ListQuestions],
    include: IncludeQuestions = None,
) -> AttemptOut:
    view = await read(AttemptQuery(actor=request.user, attempt_id=attempt_id))
    listed = await _included(include, view.attempt, request, questions)
    return attempt_out(view.attempt, view.server_time, listed)


async def _included(
    include: str | None, attempt: Attempt, request: ActorRequest, questions: ListQuestions
) -> list[QuestionForCandidate] | UnsetType:
    if include is None or attempt.mode is not ExamMode.FIXED:
        return UNSET
    listing = await questions.listing(AttemptQuery(actor=request.user, attempt_id=attempt.id))
    listed = _question_list(listing)
    if isinstance(listed, bytes):
        # Encoded once per exam: the attempt's JSON carries the bytes as they are.
        return cast("list[QuestionForCandidate]", msgspec.Raw(listed))
    return listed


@get("/attempts/{attempt_id:uuid}/remaining")
@inject
async def get_remaining(
    attempt_id: FromPath[UUID], request: ActorRequest, remaining: FromDishka[GetRemainingTime]
) -> RemainingOut:
    left = await remaining(AttemptQuery(actor=request.user, attempt_id=attempt_id))
    return RemainingOut(
        status=left.status.value,
        remaining_seconds=left.remaining.total_seconds(),
        deadline=left.deadline,
        server_time=left.server_time,
        paused=left.paused,
        section=UNSET if left.section is None else section_time_out(left.section),
    )


@get("/attempts/{attempt_id:uuid}/questions")
@inject
async def list_questions(
    attempt_id: FromPath[UUID], request: ActorRequest, questions: FromDishka[ListQuestions]
) -> Response[list[QuestionForCandidate]]:
    listing = await questions.listing(AttemptQuery(actor=request.user, attempt_id=attempt_id))
    listed = _question_list(listing)
    if isinstance(listed, bytes):
        # Bytes go out as they are (Response.render); the documented schema stays the list's.
        return Response(cast("list[QuestionForCandidate]", listed), media_type=MediaType.JSON)
    return Response(listed)


def _question_list(listing: QuestionListing) -> list[QuestionForCandidate] | bytes:
    """The listing for its candidate; as JSON made once per exam when every attempt of it
    lists the same."""

    def listed() -> list[QuestionForCandidate]:
        return [
            candidate_question(q.question, section_id=q.section_id, locked=q.locked)
            for q in listing.questions
        ]

    if listing.shared_by is None:
        return listed()
    return _SHARED_LISTS.encoded(listing.shared_by, listed)


@post("/attempts/{attempt_id:uuid}/sections/{section_id:str}/finish", status_code=200)
@inject
async def finish_section(
    attempt_id: FromPath[UUID],
    section_id: QuestionIdInPath,
    request: ActorRequest,
    finish: FromDishka[FinishSection],
) -> AttemptOut:
    """The running section is done and the next one starts; the last one's finish submits."""
    command = SectionCommand(actor=request.user, attempt_id=attempt_id, section_id=section_id)
    view = await finish(command)
    return attempt_out(view.attempt, view.server_time)


@post("/attempts/{attempt_id:uuid}/next", status_code=200)
@inject
async def move_on(
    attempt_id: FromPath[UUID], request: ActorRequest, move: FromDishka[MoveOn]
) -> AttemptOut:
    """A sequential section's next question; the one left is locked from now."""
    view = await move(SectionCommand(actor=request.user, attempt_id=attempt_id))
    return attempt_out(view.attempt, view.server_time)


def _saved(saved: SavedAnswer) -> SavedAnswerOut:
    return SavedAnswerOut(
        version=saved.version,
        saved_at=saved.saved_at,
        remaining_seconds=saved.remaining.total_seconds(),
        late=saved.late,
    )


@put("/attempts/{attempt_id:uuid}/answers/{question_id:str}")
@inject
async def save_answer(
    attempt_id: FromPath[UUID],
    question_id: QuestionIdInPath,
    data: JSONBody[AnswerIn],
    request: ActorRequest,
    change: FromDishka[ChangeAnswer],
) -> SavedAnswerOut:
    command = AnswerCommand(
        actor=request.user,
        attempt_id=attempt_id,
        question_id=question_id,
        response=data.given,
        expected_version=data.expected_version,
    )
    return _saved(await change(command))


@delete("/attempts/{attempt_id:uuid}/answers/{question_id:str}", status_code=200)
@inject
async def clear_answer(
    attempt_id: FromPath[UUID],
    question_id: QuestionIdInPath,
    request: ActorRequest,
    change: FromDishka[ChangeAnswer],
    expected_version: Annotated[int | None, Parameter(ge=0, le=MAX_VERSION)] = None,
) -> SavedAnswerOut:
    # DELETE bodies are optional, so Litestar does not decode them: the same strict
    # decoding as every other body, and a query parameter for clients that send none.
    body = await request.body()
    if body.strip():
        expected_version = decode_json_body(
            body, request.content_type, ClearAnswerIn
        ).expected_version
    command = AnswerCommand(
        actor=request.user,
        attempt_id=attempt_id,
        question_id=question_id,
        response=None,
        expected_version=expected_version,
    )
    return _saved(await change(command))


@post("/attempts/{attempt_id:uuid}/submit", status_code=200)
@inject
async def submit_attempt(
    attempt_id: FromPath[UUID], request: ActorRequest, submit: FromDishka[SubmitAttempt]
) -> ResultOut:
    return result_out(await submit(AttemptQuery(actor=request.user, attempt_id=attempt_id)))


@post("/attempts/{attempt_id:uuid}/scores/{question_id:str}", status_code=200)
@inject
async def score_answer(
    attempt_id: FromPath[UUID],
    question_id: QuestionIdInPath,
    data: JSONBody[ScoreIn],
    request: ActorRequest,
    score: FromDishka[ScoreAnswer],
) -> ResultOut:
    command = ScoreCommand(
        actor=request.user,
        attempt_id=attempt_id,
        question_id=question_id,
        points=Decimal(repr(data.points)),
        comment=data.comment,
    )
    return result_out(await score(command))


@get("/attempts/{attempt_id:uuid}/events")
@inject
async def list_events(
    attempt_id: FromPath[UUID], request: ActorRequest, events: FromDishka[ListAttemptEvents]
) -> list[EventOut]:
    return [
        event_out(event)
        for event in await events(AttemptQuery(actor=request.user, attempt_id=attempt_id))
    ]


attempt_routes = Router(
    path="/",
    route_handlers=[
        start_attempt,
        get_attempt,
        get_remaining,
        list_questions,
        save_answer,
        clear_answer,
        submit_attempt,
        score_answer,
        list_events,
        finish_section,
        move_on,
    ],
    tags=["attempts"],
)
