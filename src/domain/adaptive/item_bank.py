"""The calibrated item bank an adaptive test draws from."""

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from domain.adaptive.errors import InvalidItemBankError, UnknownItemError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def _frozen(values: ArrayLike, name: str) -> FloatArray:
    array = np.array(values, dtype=np.float64)
    if array.ndim != 1:
        raise InvalidItemBankError(f"{name} must be one-dimensional")
    if not np.all(np.isfinite(array)):
        raise InvalidItemBankError(f"{name} must be finite")
    # Engines precompute tables from these arrays; mutation would silently desync them.
    array.setflags(write=False)
    return array


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ItemBank:
    """Item parameters of the four-parameter logistic model, one entry per item.

    ``a`` is discrimination, ``b`` difficulty, ``c`` the lower (guessing) asymptote and ``d``
    the upper asymptote. The 3PL is ``d = 1``, the 2PL adds ``c = 0`` and the 1PL ``a = 1``.
    Equality is identity: numpy arrays have no single truth value.
    """

    item_ids: tuple[str, ...]
    a: FloatArray
    b: FloatArray
    c: FloatArray
    d: FloatArray
    content_areas: tuple[str, ...] | None = None
    area_names: tuple[str, ...] = field(init=False, repr=False)
    area_codes: IntArray = field(init=False, repr=False)
    _positions: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.item_ids)
        if n == 0:
            raise InvalidItemBankError("an item bank needs at least one item")
        for name in ("a", "b", "c", "d"):
            array = _frozen(getattr(self, name), name)
            if array.shape != (n,):
                raise InvalidItemBankError(f"{name} has {array.size} values for {n} items")
            object.__setattr__(self, name, array)
        if not np.all(self.a > 0):
            raise InvalidItemBankError("discrimination a must be positive")
        if not (np.all(self.c >= 0) and np.all(self.c < self.d) and np.all(self.d <= 1)):
            raise InvalidItemBankError("asymptotes must satisfy 0 <= c < d <= 1")
        positions = {item_id: i for i, item_id in enumerate(self.item_ids)}
        if len(positions) != n:
            raise InvalidItemBankError("item ids must be unique")
        object.__setattr__(self, "_positions", positions)
        self._index_content_areas(n)

    def _index_content_areas(self, n: int) -> None:
        areas = self.content_areas if self.content_areas is not None else ("",) * n
        if len(areas) != n:
            raise InvalidItemBankError(f"{len(areas)} content areas for {n} items")
        names = tuple(sorted(set(areas)))
        lookup = {name: code for code, name in enumerate(names)}
        codes = np.array([lookup[area] for area in areas], dtype=np.intp)
        codes.setflags(write=False)
        object.__setattr__(self, "area_names", names)
        object.__setattr__(self, "area_codes", codes)

    @classmethod
    def from_parameters(
        cls,
        *,
        item_ids: Sequence[str],
        a: ArrayLike,
        b: ArrayLike,
        c: ArrayLike | None = None,
        d: ArrayLike | None = None,
        content_areas: Sequence[str] | None = None,
    ) -> "ItemBank":
        """Build a bank from parameter lists; missing ``c`` means 0 and missing ``d`` means 1."""
        n = len(item_ids)
        return cls(
            item_ids=tuple(item_ids),
            a=_frozen(a, "a"),
            b=_frozen(b, "b"),
            c=_frozen(np.zeros(n) if c is None else c, "c"),
            d=_frozen(np.ones(n) if d is None else d, "d"),
            content_areas=None if content_areas is None else tuple(content_areas),
        )

    @property
    def size(self) -> int:
        """Number of items in the bank."""
        return len(self.item_ids)

    @property
    def nbytes(self) -> int:
        """Memory of the parameter arrays and the id lookup (the ids themselves not counted:
        they are the exam's strings)."""
        arrays = (self.a, self.b, self.c, self.d, self.area_codes)
        lookup = sys.getsizeof(self.item_ids) + sys.getsizeof(self._positions)
        return sum(array.nbytes for array in arrays) + lookup

    def index_of(self, item_id: str) -> int:
        """Position of ``item_id`` in the bank."""
        try:
            return self._positions[item_id]
        except KeyError:
            raise UnknownItemError(f"unknown item id {item_id!r}") from None
