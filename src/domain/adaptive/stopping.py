"""Stopping rules of an adaptive test."""

from collections.abc import Callable
from enum import Enum

from domain.adaptive.settings import EngineSettings


class StopReason(Enum):
    """The stopping rule that ended a test."""

    SE_TARGET = "se_target"
    MAX_ITEMS = "max_items"
    BANK_EXHAUSTED = "bank_exhausted"
    # The SPRT of a classification test crossed a bound (pass or fail).
    CLASSIFIED = "classification"


def stop_reason(
    *,
    items_administered: int,
    se: float,
    settings: EngineSettings,
    bank_size: int,
    classified: Callable[[], bool] = lambda: False,
) -> StopReason | None:
    """The rule that ends the test now, or None to go on.

    The minimum length only holds back the precision rule: a test that hits its maximum
    or runs out of items stops regardless. Precision is reported first because it is the
    rule that says the score is good enough, not merely that the test ran out. A
    classification test stops on its decision instead of the SE target: ``classified``
    tells whether the SPRT has decided, asked only once the test may stop (it sums the
    log ratio over every response).
    """
    if settings.classification is not None:
        if items_administered >= settings.min_items and classified():
            return StopReason.CLASSIFIED
    elif (
        settings.se_target is not None
        and items_administered >= settings.min_items
        and se <= settings.se_target
    ):
        return StopReason.SE_TARGET
    if items_administered >= settings.max_items:
        return StopReason.MAX_ITEMS
    if items_administered >= bank_size:
        return StopReason.BANK_EXHAUSTED
    return None
