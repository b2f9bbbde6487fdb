"""An exam's response body built with turns for the event loop: the largest exam the
limits allow holds up to 100,000 options, and mapping and encoding them in one go holds
the loop for 50-150 ms (issue 14). A large body is sent in chunks (without a
Content-Length, as HTTP/1.1 chunked transfer), a small one as one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Any, cast

from litestar import Response
from litestar.enums import MediaType
from litestar.response import Stream

from application.loop_turns import map_in_turns
from domain.exam import Exam
from presentation.api.large_json import encode_in_turns
from presentation.api.schemas.exams import ExamOut, exam_out_with, question_out


async def exam_response(
    exam: Exam, *, with_keys: bool, status_code: int = 200
) -> Response[ExamOut]:
    """The exam as `exam_out` has it, its questions mapped and encoded a few at a time;
    the bytes are those Litestar would send for `exam_out(exam, with_keys=...)`."""
    questions = await map_in_turns(partial(question_out, with_keys=with_keys), exam.questions)
    chunks = await encode_in_turns(exam_out_with(exam, questions), "questions")
    response: Response[Any]
    if len(chunks) == 1:
        response = Response(chunks[0], status_code=status_code, media_type=MediaType.JSON)
    else:
        response = Stream(_sent(chunks), status_code=status_code, media_type=MediaType.JSON)
    # The body is ExamOut's JSON already; the annotation keeps ExamOut in the OpenAPI.
    return cast("Response[ExamOut]", response)


async def _sent(chunks: list[bytes]) -> AsyncIterator[bytes]:
    # An async iterator: Litestar would step a plain iterable in a worker thread.
    for chunk in chunks:
        yield chunk
