"""What a final attempt is worth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    EXPIRED = "expired"
    # Ended by an admin, scored like a submit.
    TERMINATED = "terminated"


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    score: float
    max_score: float
    answered: int
    correct: int
    pending_points: float = 0.0

    @property
    def scored(self) -> bool:
        return self.pending_points == 0


@dataclass(frozen=True, slots=True, kw_only=True)
class AbilityEstimate:
    """An adaptive attempt's ability estimate on the IRT scale and its standard error."""

    theta: float
    se: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptResult:
    """The result of a submitted, expired or terminated attempt; `finished_at` is the
    deadline if expired."""

    status: AttemptStatus
    score: float
    max_score: float
    answered: int
    correct: int
    finished_at: datetime
    time_taken_seconds: float
    theta: float | None = None
    se: float | None = None
    # Points of essay and external answers no scorer has marked yet.
    pending_points: float = 0.0

    @property
    def scored(self) -> bool:
        return self.pending_points == 0

    def __post_init__(self) -> None:
        if self.status is AttemptStatus.IN_PROGRESS:
            raise ValueError("only a final attempt has a result")
