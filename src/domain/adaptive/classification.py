"""Classification (mastery) tests: Wald's sequential probability ratio test around a cut.

The test weighs H1 "theta = cut + indifference" (pass) against H0 "theta = cut -
indifference" (fail) by the log likelihood ratio of the responses so far, and decides as
soon as it leaves Wald's bounds. Examinees inside the indifference region may go either
way; outside it the error rates are at most about ``alpha`` (a false pass) and ``beta``
(a false fail).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from domain.adaptive.errors import InvalidSettingsError
from domain.adaptive.irt import FloatArray, response_log_probabilities
from domain.adaptive.item_bank import ItemBank


class Classification(Enum):
    PASS = "pass"
    FAIL = "fail"
    # The test ended (length or bank) before the ratio left the bounds.
    UNDECIDED = "undecided"


@dataclass(frozen=True, slots=True, kw_only=True)
class SprtRule:
    """Cut score and indifference half-width on the theta scale, and the error rates."""

    cut: float
    indifference: float
    alpha: float = 0.05
    beta: float = 0.05

    def __post_init__(self) -> None:
        if not math.isfinite(self.cut):
            raise InvalidSettingsError("classification cut must be a finite theta")
        if not (math.isfinite(self.indifference) and self.indifference > 0):
            raise InvalidSettingsError("classification indifference must be positive")
        if not (0 < self.alpha < 0.5 and 0 < self.beta < 0.5):
            raise InvalidSettingsError("classification alpha and beta must lie in (0, 0.5)")

    @property
    def upper_bound(self) -> float:
        """Log ratio at or above which the examinee passes: log((1 - beta) / alpha)."""
        return math.log((1.0 - self.beta) / self.alpha)

    @property
    def lower_bound(self) -> float:
        """Log ratio at or below which the examinee fails: log(beta / (1 - alpha))."""
        return math.log(self.beta / (1.0 - self.alpha))


class SequentialClassifier:
    """Each item's log-ratio contribution, precomputed for a right and a wrong answer."""

    __slots__ = ("_by_response", "rule")

    def __init__(self, bank: ItemBank, rule: SprtRule) -> None:
        self.rule = rule
        high = response_log_probabilities(
            rule.cut + rule.indifference, bank.a, bank.b, bank.c, bank.d
        )
        low = response_log_probabilities(
            rule.cut - rule.indifference, bank.a, bank.b, bank.c, bank.d
        )
        # Row 0 for a wrong answer, row 1 for a right one: a response indexes its row.
        self._by_response: FloatArray = np.stack((high[1] - low[1], high[0] - low[0]))

    @property
    def nbytes(self) -> int:
        return self._by_response.nbytes

    def log_ratio(self, administered: Sequence[int], responses: Sequence[bool]) -> float:
        """log L(cut + indifference) - log L(cut - indifference) of these responses."""
        if not administered:
            return 0.0
        right = np.asarray(responses, dtype=np.intp)
        return float(self._by_response[right, np.asarray(administered, dtype=np.intp)].sum())

    def decision(self, administered: Sequence[int], responses: Sequence[bool]) -> Classification:
        """Pass or fail once the ratio crosses a bound, else undecided."""
        ratio = self.log_ratio(administered, responses)
        if ratio >= self.rule.upper_bound:
            return Classification.PASS
        if ratio <= self.rule.lower_bound:
            return Classification.FAIL
        return Classification.UNDECIDED
