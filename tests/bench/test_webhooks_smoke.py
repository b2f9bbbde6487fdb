"""The webhook bench end to end on tiny numbers; never asserts a throughput."""

from __future__ import annotations

import pytest
from bench.webhooks.__main__ import parse, run
from tests.backend import Backend

pytestmark = pytest.mark.integration


def test_the_webhook_bench_delivers_everything_and_reports_both_tables(
    backend: Backend,
) -> None:
    args = parse([
        "--deliveries", "40", "--attempts", "6", "--rounds", "1",
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        "--no-output",
    ])  # fmt: skip

    section = run(args)

    assert "| one dispatcher, local receiver (fans out the events) | 40 |" in section
    assert "| the same, deliveries made beforehand (no fan-out) | 40 |" in section
    assert section.count("| 40 (40) |") == 2  # every delivery arrived, each once
    assert "| submit |" in section
    assert "| expiry (sweeper) |" in section
    assert "os.cpu_count()" in section
