"""The growth bench end to end on a tiny history for a second or two: its table is
complete (every operation measured on both databases), never a number."""

from __future__ import annotations

import pytest
from bench.growth.__main__ import parse, run
from tests.backend import Backend


@pytest.mark.integration
def test_the_growth_bench_reports_a_complete_table(backend: Backend) -> None:
    args = parse([
        "--attempts", "300", "--events", "6000", "--history-exams", "2",
        # Enough candidates that none reaches the per-candidate write limit (429).
        "--candidates", "200",
        "--save-seconds", "0.5", "--passes", "2", "--rounds", "1", "--connections", "4",
        "--pool-size", "4", "--database-url", backend.database_url,
        "--redis-url", backend.redis_url, "--no-output",
    ])  # fmt: skip

    section, rounds = run(args, "smoke")

    assert [r.name for r in rounds] == ["fresh", "big", "fresh", "archived"]
    for each in rounds:
        for operation in ("start", "save", "submit"):
            measured = each.figure(operation)
            assert measured.recorder.error_count == 0, measured.recorder.error_summary()
            assert measured.done > 0
        assert each.start.done == 200
        assert each.submit.done == 200
        assert len(each.passes) == 2
    assert "6,000 events" in section
    assert "use case moved" in section  # the history, and the big rounds' submitted attempts
    for operation in ("save", "start", "submit", "reconciliation pass"):
        rows = [line for line in section.splitlines() if line.startswith(f"| {operation}")]
        assert len(rows) == 2  # fresh against big, fresh against archived
        for row in rows:
            assert row.count(" | ") == 6, row
            assert "nan" not in row
    assert section.count("```") == 2 * 5  # a plan for each hot statement
