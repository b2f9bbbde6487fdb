from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from litestar.exceptions import ValidationException

from application.ports import ExamListPosition
from presentation.api.exam_cursor import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor


def test_a_cursor_names_the_position_it_was_made_from() -> None:
    position = ExamListPosition(datetime(2026, 12, 5, 1, 2, 3, 456789, tzinfo=UTC), uuid4())
    cursor = encode_cursor(position)
    assert decode_cursor(cursor) == position
    assert len(cursor) < MAX_CURSOR_LENGTH
    assert cursor.replace("-", "").replace("_", "").isalnum()  # safe in a query string


@pytest.mark.parametrize(
    "cursor", ["", "not-a-cursor", "!!!", encode_cursor.__name__, "W10", "WyJ4IiwieSJd"]
)
def test_anything_else_is_422(cursor: str) -> None:
    with pytest.raises(ValidationException):
        decode_cursor(cursor)
