from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.backend import Backend, provide_backend

# Services a test starts as processes (`hourglass serve` under a fault stack) inherit this:
# a whole suite's services each opening all their answer connections at start would pass
# max_connections. tests/api/test_connections_ahead.py tests the default.
os.environ.setdefault("HOURGLASS_ANSWER_POOL_OPEN_AT_START", "false")

# The cluster backend's steady-state check, autouse (idle unless HOURGLASS_TEST_REDIS_CLUSTER=1).
from tests.cluster_steady_state import cluster_steady_state  # noqa: F401


@pytest.fixture(scope="session")
def backend() -> Iterator[Backend]:
    """This run's own PostgreSQL database and Redis key prefix on real servers."""
    with provide_backend() as provided:
        yield provided
