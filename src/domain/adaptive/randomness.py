"""Deterministic randomness for exposure control.

Nothing random lives in the state: every draw is a pure function of the exam seed, the
attempt seed and the test length, so a replay redraws exactly the same numbers.
"""

import sys
from array import array
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from domain.adaptive.errors import InvalidSettingsError
from domain.adaptive.settings import EngineSettings

_MASK64 = (1 << 64) - 1


def step_generator(exam_seed: int, attempt_seed: int, step: int) -> np.random.Generator:
    """The stream of one selection step (``step`` = items administered so far).

    Philox is counter-based: keyed by (exam, attempt) and started at a counter block
    unique to the step, every step gets its own stream, 2**64 draws from the next.
    """
    key = (attempt_seed << 64) | exam_seed
    return np.random.Generator(np.random.Philox(key=key, counter=(step + 1) << 64))


def _mix64(value: int) -> int:
    # SplitMix64's finaliser: neighbouring attempt seeds map to unrelated 64-bit words.
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _prime_at_least(n: int) -> int:
    candidate = n | 1
    while any(candidate % f == 0 for f in range(3, int(candidate**0.5) + 1, 2)):
        candidate += 2
    return candidate


class SympsonHetterLottery:
    """Per-attempt exposure lottery: item i passes with probability ``K_i``.

    One draw per (attempt, item), fixed for the whole test, gives the classic rule that
    an item rejected once stays rejected for that examinee; redrawing at every step
    would offer it again and again and let it through far more often than K_i.
    Drawing a fresh uniform per bank item at every step would cost more than the whole
    step budget, so the draws come from one table of uniforms per exam, read at
    ``(p · i + q) mod m`` with ``m`` prime and (p, q) derived from the attempt:
    distinct items of an attempt read distinct entries, and attempts differ in (p, q).
    """

    __slots__ = ("_held", "_size", "_table")

    @classmethod
    def for_exam(cls, settings: EngineSettings, bank_size: int) -> "SympsonHetterLottery | None":
        """The exam's lottery, or None when its settings carry no exposure parameters."""
        if settings.sympson_hetter is None:
            return None
        if len(settings.sympson_hetter) != bank_size:
            raise InvalidSettingsError("need one Sympson-Hetter parameter per bank item")
        return cls(np.array(settings.sympson_hetter, dtype=np.float64), settings.seed)

    def __init__(self, parameters: NDArray[np.float64], exam_seed: int) -> None:
        # Draws lie in [0, 1): an item with K = 1 passes whatever it draws, so only the
        # others need a draw (usually a minority: the items exposure control holds back).
        self._held = {item: k for item, k in enumerate(parameters.tolist()) if k < 1.0}
        self._size = _prime_at_least(max(8 * parameters.size, 4099))
        rng = np.random.Generator(np.random.Philox(key=exam_seed))
        # An array of C doubles rather than numpy's: as compact, and reading one entry
        # gives a Python float at a third of the cost of a numpy scalar.
        self._table = array("d", rng.random(self._size).tobytes())

    @property
    def nbytes(self) -> int:
        """Memory of the parameters below 1 and the draw table."""
        entries = sum(sys.getsizeof(item) + sys.getsizeof(k) for item, k in self._held.items())
        return sys.getsizeof(self._held) + entries + self._table.itemsize * len(self._table)

    def for_attempt(self, attempt_seed: int) -> Callable[[int], bool]:
        """Whether an item passes this attempt's lottery.

        Drawn item by item as selection walks the ranking: a step usually looks at a few
        items past those already given, so drawing a whole chunk of the ranking at once
        would mostly be wasted.
        """
        mixed = _mix64(attempt_seed ^ 0x9E3779B97F4A7C15)
        size = self._size
        stride = 1 + mixed % (size - 1)
        offset = (mixed >> 32) % size
        held, table = self._held, self._table

        def passes(item: int) -> bool:
            k = held.get(item)
            return k is None or table[(item * stride + offset) % size] < k

        return passes
