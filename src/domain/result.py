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
    # The engine's stopping rule (`domain.adaptive.StopReason` value) once one has fired.
    stop_reason: str | None = None
    # A classification test's decision: pass, fail or undecided.
    classification: str | None = None


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
    # Adaptive results only: why the test ended (`adaptive_stop_reason`).
    stop_reason: str | None = None
    # Classification tests only: pass, fail or undecided.
    classification: str | None = None

    @property
    def scored(self) -> bool:
        return self.pending_points == 0

    def __post_init__(self) -> None:
        if self.status is AttemptStatus.IN_PROGRESS:
            raise ValueError("only a final attempt has a result")


# An adaptive test the engine did not stop ended for the reason of its final status.
_EARLY_STOPS = {
    AttemptStatus.SUBMITTED: "submitted",
    AttemptStatus.EXPIRED: "time_expired",
    AttemptStatus.TERMINATED: "terminated",
}


def adaptive_stop_reason(ability: AbilityEstimate | None, status: AttemptStatus) -> str | None:
    """Why an adaptive test ended: the engine's rule if one fired, else how the attempt
    ended (submitted early, out of time, terminated); None for a fixed form."""
    if ability is None:
        return None
    return ability.stop_reason or _EARLY_STOPS[status]
