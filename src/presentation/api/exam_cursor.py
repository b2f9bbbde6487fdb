"""The `cursor` of GET /exams: an opaque token for where the previous page ended."""

from __future__ import annotations

import base64
import binascii
from uuid import UUID

import msgspec
from litestar.exceptions import ValidationException

from application.ports import ExamListPosition
from presentation.api.schemas.fields import AwareDatetime

# A cursor this service issued is about 90 characters; anything far longer is not one.
MAX_CURSOR_LENGTH = 200


def encode_cursor(position: ExamListPosition) -> str:
    raw = msgspec.json.encode([position.created_at, position.exam_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> ExamListPosition:
    """The position `cursor` names; 422 for anything that is not a cursor we issued."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, exam_id = msgspec.json.decode(raw, type=tuple[AwareDatetime, UUID])
    except (binascii.Error, ValueError, msgspec.DecodeError) as error:
        raise ValidationException("cursor: not a cursor from a previous page") from error
    return ExamListPosition(created_at, exam_id)
