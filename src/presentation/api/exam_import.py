"""POST /exams/import: another platform's exam package (QTI) becomes an exam."""

from __future__ import annotations

from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka
from litestar import Router, post
from litestar.exceptions import HTTPException
from litestar.params import Parameter
from msgspec import Struct

from application.use_cases.create_exam import CreateExam
from application.use_cases.read_exam_package import ReadExamPackage, ReadPackageCommand
from presentation.api.auth import ActorRequest
from presentation.api.exams import create_exam_command
from presentation.api.imported_body import exam_in_of
from presentation.api.injection import inject
from presentation.api.json_body import StrictJsonRequest
from presentation.api.schemas.exams import ExamOut, exam_out
from presentation.api.schemas.fields import WEEK_SECONDS

# The reader's own bound (bootstrap.exam_packages) is the same; this one refuses a larger
# upload before it is read into memory at all.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
ZIP_TYPES = {"application/zip", "application/x-zip-compressed"}
XML_TYPES = {"application/xml", "text/xml"}


class SkippedOut(Struct, frozen=True):
    identifier: str
    reason: str


class ImportReportOut(Struct, frozen=True):
    imported: int
    skipped: list[SkippedOut]


class ImportOut(Struct, frozen=True):
    exam: ExamOut
    report: ImportReportOut


@post("/exams/import", status_code=201, request_max_body_size=MAX_IMPORT_BYTES)
@inject
async def import_exam(
    request: ActorRequest,
    read: FromDishka[ReadExamPackage],
    create: FromDishka[CreateExam],
    duration_seconds: Annotated[
        float | None,
        Parameter(gt=0, le=WEEK_SECONDS, description="when the package sets no time limit"),
    ] = None,
) -> ImportOut:
    """A QTI 3.0 or 2.1 content package (application/zip) or one assessment test
    (application/xml, text/xml). Whatever has no equivalent is listed in `report.skipped`;
    a malformed or hostile package is refused with 422 and nothing is created."""
    media_type = request.content_type[0].lower()
    if media_type not in ZIP_TYPES | XML_TYPES:
        raise HTTPException(
            status_code=415, detail="send a QTI package as application/zip or a test as XML"
        )
    package = ReadPackageCommand(actor=request.user, data=await request.body())
    imported = await read(package)
    definition, unused = exam_in_of(imported, _limits(request), duration_seconds=duration_seconds)
    exam = await create(create_exam_command(request.user, definition))
    skipped = [
        SkippedOut(identifier=s.identifier, reason=s.reason) for s in (*imported.skipped, *unused)
    ]
    report = ImportReportOut(imported=imported.imported, skipped=skipped)
    return ImportOut(exam=exam_out(exam, with_keys=True), report=report)


def _limits(request: Any) -> Any:
    # The operator's bounds travel on the app's request class (json_body.py).
    return request.limits if isinstance(request, StrictJsonRequest) else None


exam_import_routes = Router(path="/", route_handlers=[import_exam], tags=["exams"])
