"""Two adaptive-exam options that change what a test is for: pretest items (new items
administered unscored, to collect responses for their calibration) and classification
(a pass/fail SPRT around a cut score instead of a precise theta).

The adaptive package maps them onto `PretestPlan` and `SprtRule` (`exam_engine`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from domain.adaptive.classification import SprtRule
from domain.adaptive.errors import InvalidSettingsError
from domain.errors import InvalidExamDefinition


@dataclass(frozen=True, slots=True, kw_only=True)
class PretestRule:
    """`count` of `item_ids` go to each attempt, at positions drawn from its id."""

    item_ids: tuple[str, ...]
    count: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "item_ids", tuple(self.item_ids))
        if not self.item_ids or len(set(self.item_ids)) != len(self.item_ids):
            raise InvalidExamDefinition("adaptive.pretest: item_ids names items once, at least one")
        if not 1 <= self.count <= len(self.item_ids):
            raise InvalidExamDefinition("adaptive.pretest: count must lie in 1..len(item_ids)")

    def check_against(self, question_ids: Collection[str], max_items: int) -> None:
        unknown = set(self.item_ids) - set(question_ids)
        if unknown:
            raise InvalidExamDefinition(f"adaptive.pretest: unknown items {sorted(unknown)[:5]}")
        if max_items > len(question_ids) - len(self.item_ids):
            raise InvalidExamDefinition(
                "adaptive: max_items exceeds the operational items (pretest items do not count)"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassificationRule:
    """Pass above `cut + indifference`, fail below `cut - indifference`, with the
    error rates `alpha` (a false pass) and `beta` (a false fail)."""

    cut: float
    indifference: float
    alpha: float = 0.05
    beta: float = 0.05

    def __post_init__(self) -> None:
        try:
            self.sprt()  # the engine's rule says what a valid one is
        except InvalidSettingsError as error:
            raise InvalidExamDefinition(f"adaptive.{error}") from error

    def sprt(self) -> SprtRule:
        return SprtRule(
            cut=self.cut, indifference=self.indifference, alpha=self.alpha, beta=self.beta
        )
