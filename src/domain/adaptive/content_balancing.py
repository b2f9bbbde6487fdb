"""Content balancing: keep each content area near its target share of the test."""

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from domain.adaptive.errors import InvalidSettingsError
from domain.adaptive.item_bank import ItemBank


class ContentBalancer:
    """Chooses the content area the next item must come from.

    The area furthest below its target share goes next; areas with no item left are
    passed over, and areas without a target are never chosen while a targeted area
    still has items. Items the balancer is told not to count (pretest items) count
    towards no area and not towards the test length.
    """

    __slots__ = ("_area_of", "_area_sizes", "_targets")

    def __init__(
        self, bank: ItemBank, targets: Mapping[str, float], *, uncounted: Collection[int] = ()
    ) -> None:
        unknown = set(targets) - set(bank.area_names)
        if unknown:
            raise InvalidSettingsError(f"no items in content areas {sorted(unknown)}")
        areas = len(bank.area_names)
        # Plain tuples, not arrays: a step counts a few dozen items into a handful of
        # areas, which Python does faster than numpy's call overhead. Uncounted items
        # fall in one bucket past the last area.
        self._area_of = tuple(
            areas if item in uncounted else code
            for item, code in enumerate(bank.area_codes.tolist())
        )
        self._area_sizes = tuple(np.bincount(bank.area_codes, minlength=areas).tolist())
        self._targets = tuple(float(targets.get(name, 0.0)) for name in bank.area_names)

    def next_area(self, administered: Sequence[int]) -> int | None:
        """Code of the area to draw from next, or None when no targeted area has items."""
        counts = [0] * (len(self._targets) + 1)
        for area in map(self._area_of.__getitem__, administered):
            counts[area] += 1
        length = max(len(administered) - counts[-1], 1)
        best, most_behind = None, -math.inf
        for area, (target, size, count) in enumerate(
            zip(self._targets, self._area_sizes, counts, strict=False)
        ):
            if target > 0 and count < size and (behind := target - count / length) > most_behind:
                best, most_behind = area, behind
        return best
