"""Whatever a client sends, within the schema or not: never a 500.

Schemathesis generates requests for every operation of our own OpenAPI document (valid
and deliberately invalid bodies, paths and queries; mode `all`) and sends them, with a
candidate's and then an admin's token, to the service on a real socket over real
PostgreSQL and Redis. Its command-line runner is used because its pytest plugin does not
support pytest 9 yet.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.api.conftest import token


@pytest.mark.parametrize("role", ["candidate", "admin"])
def test_no_request_gets_a_server_error(live_server: str, role: str) -> None:
    runner = shutil.which("schemathesis") or f"{sys.prefix}/bin/schemathesis"
    run = subprocess.run(
        [
            runner,
            "run",
            f"{live_server}/schema/openapi.json",
            "--header",
            f"Authorization: Bearer {token('fuzzer', role)}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "30",
            "--seed",
            "20261122",
            "--generation-database",
            ":memory:",
            "--request-timeout",
            "10",
            # An open stream only ends with its attempt; tests/api/test_stream.py covers it.
            "--exclude-path-regex",
            "/stream$",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
