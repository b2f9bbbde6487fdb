from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.backend import Backend, provide_backend


@pytest.fixture(scope="session")
def backend() -> Iterator[Backend]:
    """This run's own PostgreSQL database and Redis key prefix on real servers."""
    with provide_backend() as provided:
        yield provided
