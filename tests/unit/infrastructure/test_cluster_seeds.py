"""HOURGLASS_REDIS_URL may list several cluster nodes to start from."""

from __future__ import annotations

import pytest

from infrastructure.redis.client import cluster_seeds


@pytest.mark.parametrize(
    ("url", "first", "seeds"),
    [
        ("redis://n1:7000/0", "redis://n1:7000/0", [("n1", 7000)]),
        (
            "redis://n1:7000,n2:7001,10.0.0.3:7002/0",
            "redis://n1:7000/0",
            [("n1", 7000), ("n2", 7001), ("10.0.0.3", 7002)],
        ),
        ("redis://u:p%40w@n1,n2:7001", "redis://u:p%40w@n1", [("n1", 6379), ("n2", 7001)]),
    ],
)
def test_every_listed_node_is_a_seed(url: str, first: str, seeds: list[tuple[str, int]]) -> None:
    assert cluster_seeds(url) == (first, seeds)
