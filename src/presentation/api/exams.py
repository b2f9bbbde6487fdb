"""Routes for exam definitions."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Response, Router, get, post
from litestar.datastructures import ResponseHeader
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import structs

from application.identity import Actor
from application.loop_turns import map_in_turns
from application.use_cases.create_exam import CreateExam, CreateExamCommand
from application.use_cases.read_exams import ExamListQuery, GetExam, ListExams
from domain.adaptive_options import AbilityPrior, Estimator, IrtModel
from domain.exam import AdaptiveRules, ExamMode, IrtParameters, Options, Question
from domain.review_policy import ReviewPolicy
from presentation.api.auth import ActorRequest
from presentation.api.exam_bodies import exam_response
from presentation.api.exam_cursor import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from presentation.api.injection import inject
from presentation.api.schemas.adaptive_options import exposure_rule
from presentation.api.schemas.adaptive_pretest_classification import (
    classification_rule,
    pretest_rule,
)
from presentation.api.schemas.exams import (
    AdaptiveIn,
    ExamIn,
    ExamOut,
    ExamSummaryOut,
    QuestionIn,
    exam_summary_out,
)


def _question(index: int, draft: QuestionIn) -> Question:
    irt = draft.irt
    question_id = draft.id or f"q{index}"
    return Question(
        id=question_id,
        stem=draft.stem,
        options=Options.of((o.key for o in draft.options), (o.text for o in draft.options)),
        key=draft.answer_key(f"question {question_id!r}"),
        points=draft.points,
        content_area=draft.content_area,
        irt=None if irt is None else IrtParameters(a=irt.a, b=irt.b, c=irt.c, d=irt.d),
    )


def create_exam_command(actor: Actor, data: ExamIn) -> CreateExamCommand:
    """Translate the request body into the use case's command (domain checks the rest)."""
    adaptive = data.adaptive
    return CreateExamCommand(
        actor=actor,
        title=data.title,
        mode=ExamMode(data.mode),
        duration=timedelta(seconds=data.duration_seconds),
        grace=timedelta(seconds=data.grace_seconds),
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        max_attempts=data.max_attempts,
        questions=tuple(_question(i, q) for i, q in enumerate(data.questions, start=1)),
        review=ReviewPolicy(data.review),
        shuffle_options=data.shuffle_options,
        sections=tuple(section.section() for section in data.sections or ()),
        adaptive=None if adaptive is None else adaptive_rules(adaptive),
    )


def adaptive_rules(adaptive: AdaptiveIn) -> AdaptiveRules:
    exposure_k, exposure = exposure_rule(adaptive.exposure, adaptive.exposure_k)
    return AdaptiveRules(
        max_items=adaptive.max_items,
        min_items=adaptive.min_items,
        se_target=adaptive.se_target,
        exposure_k=exposure_k,
        estimator=Estimator(adaptive.estimator),
        model=IrtModel(adaptive.model),
        content_targets=adaptive.content_targets,
        exposure=exposure,
        enemies=tuple(tuple(group) for group in adaptive.enemies),
        prior=AbilityPrior(adaptive.prior),
        pretest=pretest_rule(adaptive.pretest),
        classification=classification_rule(adaptive.classification),
    )


async def create_exam_command_in_turns(actor: Actor, data: ExamIn) -> CreateExamCommand:
    """`create_exam_command`, its questions mapped with turns for the event loop."""
    questions = await map_in_turns(lambda n_q: _question(*n_q), enumerate(data.questions, 1))
    command = create_exam_command(actor, structs.replace(data, questions=[]))
    return dataclasses.replace(command, questions=tuple(questions))


@post("/exams", status_code=201)
@inject
async def create_exam(
    data: JSONBody[ExamIn], request: ActorRequest, create: FromDishka[CreateExam]
) -> Response[ExamOut]:
    exam = await create(await create_exam_command_in_turns(request.user, data))
    return await exam_response(exam, with_keys=True, status_code=201)


# Summaries are small (no questions), so a page of the largest size stays a few hundred KB.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_NEXT_PAGE = ResponseHeader(
    name="Link",
    description='`<...?limit=N&cursor=...>; rel="next"` when another page follows',
    documentation_only=True,
)


@get("/exams", response_headers=[_NEXT_PAGE])
@inject
async def list_exams(
    request: ActorRequest,
    list_page: FromDishka[ListExams],
    limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Parameter(max_length=MAX_CURSOR_LENGTH)] = None,
) -> Response[list[ExamSummaryOut]]:
    """Exam summaries (no questions: GET /exams/{exam_id} has them), oldest first. The
    body stays a JSON list, as clients of API v1 read it; the next page is in `Link`."""
    after = None if cursor is None else decode_cursor(cursor)
    page = await list_page(ExamListQuery(after=after, limit=limit))
    body = [exam_summary_out(summary) for summary in page.summaries]
    if page.next_after is None:
        return Response(body)
    following = f"{request.url.path}?limit={limit}&cursor={encode_cursor(page.next_after)}"
    return Response(body, headers={"Link": f'<{following}>; rel="next"'})


@get("/exams/{exam_id:uuid}")
@inject
async def get_exam(
    exam_id: FromPath[UUID], request: ActorRequest, get_one: FromDishka[GetExam]
) -> Response[ExamOut]:
    return await exam_response(await get_one(exam_id), with_keys=request.user.is_admin)


exam_routes = Router(path="/", route_handlers=[create_exam, list_exams, get_exam], tags=["exams"])
