"""The one size-limited cache of this service's per-process copies."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """Values by key, the least recently used dropped once `max_size` would be exceeded.

    Sizes are in whatever unit `size_of` returns (bytes for the exam and engine caches);
    without it every value counts 1, so `max_size` is a number of entries. A value larger
    than the whole budget is not kept, so the caller simply builds it again next time.
    App-scoped users share one instance without a lock: the event loop runs one coroutine
    at a time and no method awaits.
    """

    __slots__ = ("_values",)

    def __init__(self, max_size: int, size_of: Callable[[V], int] | None = None) -> None:
        if max_size < 1:
            raise ValueError("a cache needs a positive size budget")
        self._values: LRUCache[K, V] = LRUCache(max_size, getsizeof=size_of)

    def get(self, key: K) -> V | None:
        """The value, now the most recently used; None if absent."""
        try:  # hits are the hot path: one lookup, where `LRUCache.get` makes two
            return self._values[key]
        except KeyError:
            return None

    def put(self, key: K, value: V) -> None:
        try:
            self._values[key] = value
        except ValueError:  # larger than the whole budget
            self._values.pop(key, None)

    def pop(self, key: K) -> V | None:
        return self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()

    @property
    def size(self) -> int:
        """The sizes of the values held, summed."""
        return int(self._values.currsize)

    def __len__(self) -> int:
        return len(self._values)
