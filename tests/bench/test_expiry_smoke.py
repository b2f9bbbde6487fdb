"""The expiry-lag bench end to end with a tiny burst; never asserts the lag itself."""

from __future__ import annotations

import time

import pytest
from bench.expiry.__main__ import COLUMNS, parse, run
from tests.backend import Backend

pytestmark = pytest.mark.integration


def test_the_expiry_bench_finalises_a_small_burst_and_checks_postgresql(
    backend: Backend,
) -> None:
    args = parse([
        "--attempts", "20", "--sweepers", "1",
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        # Under the test run's prefix, so the backend's clean-up removes what is left.
        "--redis-key-prefix", f"{backend.key_prefix}exp",
        "--network-grace", "0", "--lead-seconds", "1", "--timeout", "20", "--no-output",
    ])  # fmt: skip
    began = time.monotonic()

    section, results = run([20], [1], args)

    assert time.monotonic() - began < 60
    assert "| " + " | ".join(COLUMNS) + " |" in section
    assert "os.cpu_count()" in section
    (result,) = results
    assert len(result.lags) == 20
    assert result.verification.ok, result.verification.problems
    assert result.verification.expired == result.verification.one_expired_event == 20
    assert result.saved_answers == 2
    assert "| 20 | 1 |" in section
