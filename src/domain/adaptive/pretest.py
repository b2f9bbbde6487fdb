"""Pretest items: new items an adaptive test administers to collect responses for their
calibration, never scored and never part of the ability estimate.

Which pretest items an attempt gets, and where in the test, is drawn from the attempt's
seed (and the exam's), so a replay or a resume on any process gives the same items at
the same positions. Positions fall among the first ``min_items + count - 1`` places:
before then no stopping rule can end the test, so every drawn item is administered.
"""

from dataclasses import dataclass

import numpy as np

from domain.adaptive.errors import InvalidSettingsError


@dataclass(frozen=True, slots=True, kw_only=True)
class PretestPlan:
    """The bank indices of an exam's pretest items and how many an attempt gets."""

    items: tuple[int, ...] = ()
    count: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(map(int, self.items)))
        if len(set(self.items)) != len(self.items) or any(i < 0 for i in self.items):
            raise InvalidSettingsError("pretest items are distinct bank indices")
        if not 0 <= self.count <= len(self.items):
            raise InvalidSettingsError("pretest count must lie between 0 and the pretest items")

    def slots(self, *, exam_seed: int, attempt_seed: int, min_items: int) -> dict[int, int]:
        """Position in the test (0-based, pretest items counted) -> the pretest item there."""
        if self.count == 0:
            return {}
        # Counter block 0 is this draw's alone: selection steps start at block 1
        # (randomness.step_generator).
        key = (attempt_seed << 64) | exam_seed
        rng = np.random.Generator(np.random.Philox(key=key, counter=0))
        chosen = rng.choice(len(self.items), size=self.count, replace=False)
        places = min_items + self.count - 1
        positions = np.sort(rng.choice(places, size=self.count, replace=False))
        return {
            int(position): self.items[int(item)]
            for position, item in zip(positions, chosen, strict=True)
        }
