"""GET /exams/{exam_id}/results: an exam's final attempts as CSV or NDJSON, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from enum import StrEnum
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Router, get
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from application.use_cases.export_results import ExportResults, ResultLine, ResultsExport
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject

FIXED_COLUMNS = [
    "attempt_id",
    "candidate_id",
    "status",
    "score",
    "max_score",
    "answered",
    "correct",
    "finished_at",
    "time_taken_seconds",
]


class ResultsFormat(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"


def _fixed(line: ResultLine) -> list[object]:
    result = line.result
    return [
        str(line.attempt_id),
        line.candidate_id,
        result.status.value,
        result.score,
        result.max_score,
        result.answered,
        result.correct,
        result.finished_at.isoformat(),
        result.time_taken_seconds,
    ]


async def _csv(export: ResultsExport) -> AsyncIterator[bytes]:
    # A column per question, prefixed so that no question id can clash with a fixed column.
    header = FIXED_COLUMNS + [f"points:{qid}" for qid in export.question_ids]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield buffer.getvalue().encode()
    async for batch in export.batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            _fixed(line) + ["" if p is None else p for p in line.points] for line in batch
        )
        yield buffer.getvalue().encode()


async def _ndjson(export: ResultsExport) -> AsyncIterator[bytes]:
    encoder = msgspec.json.Encoder()
    ids = export.question_ids
    async for batch in export.batches:
        chunk = bytearray()
        for line in batch:
            row = dict(zip(FIXED_COLUMNS, _fixed(line), strict=True))
            row["points"] = dict(zip(ids, line.points, strict=True))
            chunk += encoder.encode(row)
            chunk += b"\n"
        yield bytes(chunk)


@get("/exams/{exam_id:uuid}/results")
@inject
async def export_results(
    exam_id: FromPath[UUID],
    request: ActorRequest,
    export: FromDishka[ExportResults],
    format: FromQuery[ResultsFormat] = ResultsFormat.CSV,
) -> Stream:
    """A row per final attempt (submitted, expired, terminated), oldest start first, with the
    points of each question as the score counts them (blank: an adaptive item not
    administered, a question the attempt's drawn sections did not give it, or an answer
    awaiting its scorer; 0: given but unanswered). Streamed from a
    server-side cursor, so memory stays flat whatever the exam's size."""
    found = await export(request.user, exam_id)
    if format is ResultsFormat.CSV:
        return Stream(_csv(found), media_type="text/csv; charset=utf-8")
    return Stream(_ndjson(found), media_type="application/x-ndjson")


results_routes = Router(path="/", route_handlers=[export_results], tags=["results"])
