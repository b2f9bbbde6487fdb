"""Content balancing: keep each content area near its target share of the test."""

from collections.abc import Mapping, Sequence

import numpy as np

from domain.adaptive.errors import InvalidSettingsError
from domain.adaptive.item_bank import ItemBank


class ContentBalancer:
    """Chooses the content area the next item must come from.

    The area furthest below its target share goes next; areas with no item left are
    passed over, and areas without a target are never chosen while a targeted area
    still has items.
    """

    __slots__ = ("_area_codes", "_area_sizes", "_targets")

    def __init__(self, bank: ItemBank, targets: Mapping[str, float]) -> None:
        unknown = set(targets) - set(bank.area_names)
        if unknown:
            raise InvalidSettingsError(f"no items in content areas {sorted(unknown)}")
        self._area_codes = bank.area_codes
        self._area_sizes = np.bincount(bank.area_codes, minlength=len(bank.area_names))
        self._targets = np.array([targets.get(name, 0.0) for name in bank.area_names])

    def next_area(self, administered: Sequence[int]) -> int | None:
        """Code of the area to draw from next, or None when no targeted area has items."""
        counts = np.bincount(self._area_codes[list(administered)], minlength=self._targets.size)
        shares = counts / max(len(administered), 1)
        deficit = np.where(
            (self._targets > 0) & (counts < self._area_sizes), self._targets - shares, -np.inf
        )
        best = int(deficit.argmax())
        return best if np.isfinite(deficit[best]) else None
