"""Rebuilding an adaptive state from the durable response history."""

from collections.abc import Iterable

from domain.adaptive.engine import AdaptiveEngine
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.settings import AdaptiveSettings
from domain.adaptive.state import AdaptiveState


def replay(
    bank: ItemBank,
    settings: AdaptiveSettings,
    history: Iterable[tuple[str, bool]],
    attempt_seed: int = 0,
) -> AdaptiveState:
    """The state after ``history``, ``(item id, correct)`` pairs in the order answered.

    Responses are recorded again through a fresh engine, so theta, SE, stop reason and the
    next item equal those of the original run bit for bit. Prefer
    ``AdaptiveEngine.replay`` when an engine for the bank is already at hand: it skips
    the per-bank precomputation.
    """
    return AdaptiveEngine(bank, settings).replay(history, attempt_seed)
