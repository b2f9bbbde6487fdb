"""The one bounded cache: least recently used out first, by entries or by bytes."""

from __future__ import annotations

import pytest

from application.bounded_cache import BoundedCache


def test_by_entries_the_least_recently_used_goes_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == cache.size == 2


def test_by_bytes_as_many_are_dropped_as_the_new_value_needs() -> None:
    cache: BoundedCache[str, bytes] = BoundedCache(100, size_of=len)
    for key in "abcd":
        cache.put(key, bytes(25))
    assert cache.size == 100

    cache.put("big", bytes(60))  # needs the room of three of the four

    assert [key for key in "abcd" if cache.get(key) is not None] == ["d"]
    assert cache.get("big") == bytes(60)
    assert cache.size == 85


def test_replacing_a_value_counts_its_new_size() -> None:
    cache: BoundedCache[str, bytes] = BoundedCache(100, size_of=len)
    cache.put("a", bytes(10))
    cache.put("a", bytes(70))
    cache.put("b", bytes(30))

    assert cache.size == 100
    assert len(cache) == 2


def test_a_value_larger_than_the_whole_budget_is_not_kept() -> None:
    cache: BoundedCache[str, bytes] = BoundedCache(100, size_of=len)
    cache.put("a", bytes(10))
    cache.put("a", bytes(101))  # an older, smaller copy must not survive either
    cache.put("b", bytes(101))

    assert cache.get("a") is None
    assert cache.get("b") is None
    assert cache.size == 0


def test_pop_and_clear_free_their_share_of_the_budget() -> None:
    cache: BoundedCache[str, bytes] = BoundedCache(100, size_of=len)
    cache.put("a", bytes(40))
    cache.put("b", bytes(50))

    assert cache.pop("a") == bytes(40)
    assert cache.pop("a") is None
    assert cache.size == 50
    cache.clear()
    assert (len(cache), cache.size) == (0, 0)


def test_a_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        BoundedCache(0)
