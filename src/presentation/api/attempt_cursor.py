"""The `cursor` of the attempt listings: an opaque token for where a page ended."""

from __future__ import annotations

import base64
import binascii
from uuid import UUID

import msgspec
from litestar.exceptions import ValidationException

from application.ports.attempt_listing import AttemptListPosition
from presentation.api.schemas.fields import AwareDatetime

# A cursor this service issued is about 90 characters; anything far longer is not one.
MAX_CURSOR_LENGTH = 200


def encode_cursor(position: AttemptListPosition) -> str:
    raw = msgspec.json.encode([position.started_at, position.attempt_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> AttemptListPosition | None:
    """The position `cursor` names (None for none); 422 for one we did not issue."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        started_at, attempt_id = msgspec.json.decode(raw, type=tuple[AwareDatetime, UUID])
    except (binascii.Error, ValueError, msgspec.DecodeError) as error:
        raise ValidationException("cursor: not a cursor from a previous page") from error
    return AttemptListPosition(started_at, attempt_id)
