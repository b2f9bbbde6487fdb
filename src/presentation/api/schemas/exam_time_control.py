"""Bodies of POST /exams/{exam_id}/time-control."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from application.use_cases.exam_time_control import TimeAction
from presentation.api.schemas.fields import WEEK_SECONDS, CandidateId
from presentation.api.schemas.time_control import Reasoned

# One call may name a whole exam's candidates; beyond this, leave the list out (everyone).
MAX_CANDIDATES = 20_000


class ExamTimeIn(Reasoned, frozen=True):
    action: TimeAction
    seconds: Annotated[float, Meta(ge=-WEEK_SECONDS, le=WEEK_SECONDS)] | None = None
    candidate_ids: Annotated[list[CandidateId], Meta(max_length=MAX_CANDIDATES)] | None = None


class AffectedOut(Struct, frozen=True):
    affected: int
