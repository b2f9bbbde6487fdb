"""One PostgreSQL, one Valkey and one API process of our own for the fault tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.faults.load import SECRET
from tests.faults.servers import (
    ApiProcess,
    OwnPostgres,
    OwnValkey,
    postgres_bin_or_skip,
)

NETWORK_GRACE_SECONDS = 1.0


@dataclass
class Stack:
    postgres: OwnPostgres
    valkey: OwnValkey
    api: ApiProcess


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    bin_dir = postgres_bin_or_skip()
    postgres, valkey = OwnPostgres(bin_dir), OwnValkey()
    api: ApiProcess | None = None
    try:
        postgres.init()
        valkey.start()
        api = ApiProcess(
            {
                "HOURGLASS_DATABASE_URL": postgres.url,
                "HOURGLASS_REDIS_URL": valkey.url,
                "HOURGLASS_JWT_SECRET": SECRET,
                "HOURGLASS_NETWORK_GRACE_SECONDS": str(NETWORK_GRACE_SECONDS),
                "HOURGLASS_LOG_LEVEL": "warning",
            }
        )
        api.start()
        yield Stack(postgres, valkey, api)
    finally:
        if api is not None:
            api.stop()
            shutil.rmtree(api.log_path.parent, ignore_errors=True)
        valkey.remove()
        postgres.remove()
