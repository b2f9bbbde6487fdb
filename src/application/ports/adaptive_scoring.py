from __future__ import annotations

from typing import Protocol

from domain.adaptive.quadrature import NormalPrior
from domain.attempt import Attempt
from domain.exam import Exam
from domain.result import AbilityEstimate


class AdaptiveScoring(Protocol):
    """The ability estimate an adaptive attempt's result carries.

    Finalising needs only this of the adaptive engines, so a submit of a fixed-form
    attempt depends on nothing adaptive.
    """

    def ability(
        self, exam: Exam, attempt: Attempt, prior: NormalPrior | None = None
    ) -> AbilityEstimate | None:
        """Theta and se after the attempt's responses (read from PostgreSQL), starting
        from `prior` (None: the engine's own); None for a fixed-form exam."""
        ...
