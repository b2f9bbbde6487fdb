"""A candidate's proficiency: the ability estimate a finalised adaptive attempt left.

Each exam is its own scale: an exam's item parameters fix the theta scale its estimates
are on, and exams never change, so estimates of one exam are comparable and those of two
exams are not (unless someone linked them, which the service cannot know). A calibration
applied as a new exam starts a new scale too: its parameters are standardised on the
calibration sample, not on the old exam's scale (docs/api-choices.md, "Proficiency").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.adaptive.quadrature import NormalPrior
from domain.attempt import Attempt

# Ability moves between attempts (learning, forgetting, a bad day): a prior narrower than
# this would let the last attempt outvote the new responses. 0.5 keeps the candidate's
# estimate worth about four items of a typical bank while the test corrects it quickly.
MIN_PRIOR_SD = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class ProficiencyEstimate:
    """Theta and se of one finalised adaptive attempt; `updated_at` is when it ended."""

    attempt_id: UUID
    candidate_id: str
    exam_id: UUID
    theta: float
    se: float
    updated_at: datetime

    def __post_init__(self) -> None:
        if not (math.isfinite(self.theta) and math.isfinite(self.se) and self.se >= 0):
            raise ValueError("a proficiency needs a finite theta and a non-negative se")

    @classmethod
    def of_final(cls, attempt: Attempt) -> ProficiencyEstimate | None:
        """The estimate a final attempt's result carries; None for a fixed form (no theta)
        or an attempt not yet final."""
        result = attempt.result
        if result is None or result.theta is None or result.se is None:
            return None
        return cls(
            attempt_id=attempt.id,
            candidate_id=attempt.candidate_id,
            exam_id=attempt.exam_id,
            theta=result.theta,
            se=result.se,
            updated_at=result.finished_at,
        )

    def as_prior(self) -> NormalPrior:
        """Where the candidate's next attempt on this exam starts (`prior: candidate`)."""
        return NormalPrior(mean=self.theta, sd=max(self.se, MIN_PRIOR_SD))
