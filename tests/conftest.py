from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.backend import Backend, provide_backend

# The cluster backend's steady-state check, autouse (idle unless HOURGLASS_TEST_REDIS_CLUSTER=1).
from tests.cluster_steady_state import cluster_steady_state  # noqa: F401


@pytest.fixture(scope="session")
def backend() -> Iterator[Backend]:
    """This run's own PostgreSQL database and Redis key prefix on real servers."""
    with provide_backend() as provided:
        yield provided
