"""Bodies of the calibration endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from msgspec import Struct

from domain.calibration.job import CalibrationJob
from presentation.api.schemas.exams import AdaptiveIn
from presentation.api.schemas.fields import NonEmptyText


class CalibrationIn(Struct, frozen=True, forbid_unknown_fields=True):
    model: Literal["2pl", "3pl"] = "2pl"


class CalibrationQueuedOut(Struct, frozen=True):
    id: UUID
    status: str


class CalibratedItemOut(Struct, frozen=True):
    id: str
    a: float
    b: float
    c: float
    se_a: float | None
    se_b: float | None


class SkippedItemOut(Struct, frozen=True):
    id: str
    reason: str


class CalibrationOut(Struct, frozen=True):
    """`items` and `log_likelihood` once `status` is `succeeded`; `error` once `failed`."""

    id: UUID
    exam_id: UUID
    model: str
    status: str
    created_at: datetime
    claims: int
    items: list[CalibratedItemOut] = []
    log_likelihood: float | None = None
    iterations: int | None = None
    converged: bool | None = None
    examinees: int | None = None
    skipped: list[SkippedItemOut] = []
    error: str | None = None
    finished_at: datetime | None = None
    applied_exam_id: UUID | None = None


class ApplyCalibrationIn(Struct, frozen=True, forbid_unknown_fields=True):
    """The new exam's title and adaptive rules; by default the source exam's title with
    " (calibrated)" and its adaptive rules (required when the source is fixed-form)."""

    title: NonEmptyText | None = None
    adaptive: AdaptiveIn | None = None


def calibration_out(job: CalibrationJob) -> CalibrationOut:
    outcome = job.outcome
    return CalibrationOut(
        id=job.id,
        exam_id=job.exam_id,
        model=job.model.value,
        status=job.status.value,
        created_at=job.created_at,
        claims=job.claims,
        items=[] if outcome is None else [_item(item) for item in outcome.items],
        log_likelihood=None if outcome is None else outcome.log_likelihood,
        iterations=None if outcome is None else outcome.iterations,
        converged=None if outcome is None else outcome.converged,
        examinees=None if outcome is None else outcome.examinees,
        skipped=[]
        if outcome is None
        else [SkippedItemOut(id=s.item_id, reason=s.reason) for s in outcome.skipped],
        error=job.error,
        finished_at=job.finished_at,
        applied_exam_id=job.applied_exam_id,
    )


def _item(item: dict[str, Any]) -> CalibratedItemOut:
    return CalibratedItemOut(
        id=str(item["id"]), a=item["a"], b=item["b"], c=item["c"],
        se_a=item["se_a"], se_b=item["se_b"],
    )  # fmt: skip
