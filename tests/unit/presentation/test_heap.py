"""The API process keeps its start-up heap out of the garbage collector's way."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from presentation.bootstrap.heap import YOUNG_THRESHOLD, settle_heap


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_collector")
def test_the_start_up_heap_is_frozen_and_young_collections_are_rarer() -> None:
    _, middle, old = gc.get_threshold()
    gc.set_threshold(700, middle, old)  # CPython's default (an app started earlier moved it)
    settle_heap()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, old)
