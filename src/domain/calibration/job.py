"""A calibration job: an exam's stored responses fitted in the background."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.calibration.result import Calibration
from domain.calibration.settings import ItemModel
from domain.calibration.stored_responses import SkippedItem

# A job whose process died is claimed again this many times in all, then marked failed:
# an exam whose fit kills the process (memory) must not take every worker down in turn.
MAX_CLAIMS = 3


class CalibrationStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationOutcome:
    """What a finished fit reports: `{items: [{id, a, b, c, se_a, se_b}], log_likelihood,
    iterations}` plus the items left out and whether the EM converged."""

    items: tuple[dict[str, Any], ...]
    log_likelihood: float
    iterations: int
    converged: bool
    examinees: int
    skipped: tuple[SkippedItem, ...] = ()

    @classmethod
    def of(
        cls, fit: Calibration, *, examinees: int, skipped: tuple[SkippedItem, ...]
    ) -> CalibrationOutcome:
        return cls(
            items=tuple(fit.items()),
            log_likelihood=fit.log_likelihood,
            iterations=fit.iterations,
            converged=fit.converged,
            examinees=examinees,
            skipped=skipped,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationJob:
    id: UUID
    exam_id: UUID
    model: ItemModel
    status: CalibrationStatus
    requested_by: str
    created_at: datetime
    claims: int = 0
    finished_at: datetime | None = None
    outcome: CalibrationOutcome | None = None
    error: str | None = None
    # The exam the latest apply call created.
    applied_exam_id: UUID | None = None

    @property
    def is_finished(self) -> bool:
        return self.status in (CalibrationStatus.SUCCEEDED, CalibrationStatus.FAILED)
