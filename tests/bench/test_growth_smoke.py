"""The growth bench end to end on a tiny history for a second or two: its table is
complete (every operation measured on both databases), never a number."""

from __future__ import annotations

import pytest
from bench.growth.__main__ import parse, run
from tests.backend import Backend


@pytest.mark.integration
def test_the_growth_bench_reports_a_complete_table(backend: Backend) -> None:
    args = parse([
        "--attempts", "300", "--events", "6000", "--history-exams", "2", "--candidates", "12",
        "--save-seconds", "0.5", "--passes", "2", "--rounds", "1", "--connections", "4",
        "--pool-size", "4", "--database-url", backend.database_url,
        "--redis-url", backend.redis_url, "--no-output",
    ])  # fmt: skip

    section, rounds = run(args, "smoke")

    assert [r.name for r in rounds] == ["fresh", "big"]
    for each in rounds:
        for operation in ("start", "save", "submit"):
            measured = each.figure(operation)
            assert measured.recorder.error_count == 0, measured.recorder.error_summary()
            assert measured.done > 0
        assert each.start.done == 12
        assert each.submit.done == 12
        assert len(each.passes) == 2
    assert "6,000 events" in section
    for operation in ("save", "start", "submit", "reconciliation pass"):
        row = next(line for line in section.splitlines() if line.startswith(f"| {operation}"))
        assert row.count(" | ") == 6, row
        assert "–  |" not in row
        assert "nan" not in row
    assert section.count("```") == 2 * 5  # a plan for each hot statement
