"""The exam a file for `hourglass exam import` defines: our JSON body, or a QTI content
package (zip) or assessment test / item (XML), read as POST /exams/import reads it."""

from __future__ import annotations

from pathlib import Path

import click
import msgspec
from litestar.exceptions import ValidationException

from application.ports.exam_packages import JsonObject, PackageRejected
from presentation.api.imported_body import exam_in_of
from presentation.api.json_body import check_limits
from presentation.api.limits import InputLimits
from presentation.api.schemas.exams import ExamIn
from presentation.bootstrap.exam_packages import exam_package_reader


def exam_from_file(
    path: Path, limits: InputLimits, *, duration_seconds: float | None
) -> tuple[ExamIn, JsonObject | None]:
    """The file's exam, checked as POST /exams checks a body, and the import report for
    a package (None for JSON). Any refusal is a ClickException naming the file."""
    data = path.read_bytes()
    try:
        if _is_json(path, data):
            definition = msgspec.json.decode(data, type=ExamIn)
            check_limits(definition, limits)
            return definition, None
        imported = exam_package_reader().read(data, path.name)
        definition, unused = exam_in_of(imported, limits, duration_seconds=duration_seconds)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise click.ClickException(f"{path}: {error}") from error
    except ValidationException as error:
        raise click.ClickException(f"{path}: {error.detail}") from error
    except PackageRejected as error:
        raise click.ClickException(f"{path}: {error.message}") from error
    report = imported.report()
    skipped = report["skipped"]
    assert isinstance(skipped, list)
    skipped.extend({"identifier": u.identifier, "reason": u.reason} for u in unused)
    return definition, report


def _is_json(path: Path, data: bytes) -> bool:
    if path.suffix.lower() == ".json":
        return True
    first = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return first in {b"{", b"["}
