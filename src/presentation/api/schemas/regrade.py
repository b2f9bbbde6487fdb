"""Bodies of POST /exams/{exam_id}/regrade."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from presentation.api.schemas.fields import Identifier, NonEmptyText
from presentation.api.schemas.time_control import Reasoned


class RegradeIn(Reasoned, frozen=True, forbid_unknown_fields=True):
    """Exactly one of `correct_key` (single choice), `correct_keys` (multiple choice) or
    `full_credit: true`; the domain refuses any other mix (422). A misspelt field is
    refused too: silently ignored, it would regrade with the wrong key or none."""

    question_id: Identifier
    correct_key: NonEmptyText | None = None
    correct_keys: Annotated[list[NonEmptyText], Meta(min_length=1, max_length=1000)] | None = None
    full_credit: bool = False


class RescoredOut(Struct, frozen=True):
    rescored: int
