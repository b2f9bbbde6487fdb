"""bench.time_control runs end to end on a few attempts and reports every action."""

from __future__ import annotations

import pytest
from bench.time_control.__main__ import parse, run
from tests.backend import Backend

pytestmark = pytest.mark.integration


def test_the_time_control_bench_changes_every_attempt_and_checks_them(
    backend: Backend,
) -> None:
    args = parse([
        "--attempts", "30", "--rounds", "1",
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        "--no-output",
    ])  # fmt: skip

    section = run(args)

    for action in ("extend", "pause", "resume"):
        assert f"| {action} | 30 |" in section
    assert "Checks: all passed." in section
