"""An imported exam body checked exactly as a POST /exams body, and nothing of it lost
without a word: fields this service does not take yet are listed in the report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args, get_origin

import msgspec
from litestar.exceptions import ValidationException

from application.ports.exam_packages import ImportedExam, JsonObject, SkippedContent
from presentation.api.json_body import check_limits
from presentation.api.limits import InputLimits
from presentation.api.schemas.exams import ExamIn


def exam_in_of(
    imported: ImportedExam, limits: InputLimits | None, *, duration_seconds: float | None = None
) -> tuple[ExamIn, tuple[SkippedContent, ...]]:
    """The package's exam as ExamIn (422 as for POST /exams when it is not one), and what
    the body holds that ExamIn has no field for. `duration_seconds` is used when the
    package sets no time limit."""
    body: JsonObject = dict(imported.exam)
    if duration_seconds is not None and "duration_seconds" not in body:
        body["duration_seconds"] = duration_seconds
    try:
        # strict: the reader writes JSON values, never a string for a number.
        definition = msgspec.convert(body, ExamIn, strict=True)
    except msgspec.ValidationError as error:
        detail = f"the imported exam is not a valid exam body: {error}"
        raise ValidationException(detail, extra=[_schema_error(str(error))]) from error
    if limits is not None:
        check_limits(definition, limits)
    unused = tuple(
        SkippedContent(identifier=path, reason="this service does not take this field yet")
        for path in unknown_fields(body, ExamIn)
    )
    return definition, unused


def unknown_fields(value: Any, into: Any, where: str = "") -> Iterator[str]:
    """The paths in `value` that the type `into` has no field for (msgspec ignores them)."""
    if isinstance(value, dict) and isinstance(into, type) and issubclass(into, msgspec.Struct):
        fields = {field.encode_name: field for field in msgspec.structs.fields(into)}
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if key not in fields:
                yield path
            else:
                yield from unknown_fields(item, fields[key].type, path)
    elif isinstance(value, list):
        element = _element_type(into)
        for index, item in enumerate(value):
            yield from unknown_fields(item, element, f"{where}[{index}]")
    else:
        struct = _struct_in(into)
        if struct is not None and isinstance(value, dict):
            yield from unknown_fields(value, struct, where)


def _element_type(into: Any) -> Any:
    """X of list[X], also inside Annotated[...] or a union."""
    if get_origin(into) is list:
        return get_args(into)[0]
    for argument in get_args(into):
        found = _element_type(argument)
        if found is not None:
            return found
    return None


def _struct_in(into: Any) -> type[msgspec.Struct] | None:
    """The Struct in `X | None` or Annotated[X, ...]."""
    for candidate in get_args(into):
        if isinstance(candidate, type) and issubclass(candidate, msgspec.Struct):
            return candidate
    return None


def _schema_error(message: str) -> dict[str, str]:
    text, _, where = message.partition(" - at `$")
    return {"key": where.rstrip("`").lstrip("."), "message": text, "source": "package"}
