"""The fixed-form bench end to end with tiny seeds and ~1 s runs; never asserts numbers."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from bench.__main__ import run
from bench.config import SCENARIOS, BenchConfig
from bench.report import COLUMNS, NOT_MEASURABLE, row_labels
from bench.rounds import COMPARISONS
from tests.backend import Backend

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed"),
]


def _tiny() -> BenchConfig:
    scenarios = set(SCENARIOS)
    if shutil.which("pgbench") is None:
        scenarios.discard("save")
    return BenchConfig(
        attempts=40,
        questions=5,
        conflict_attempts=4,
        run_seconds=1.0,
        warmup_seconds=0.0,
        profile_seconds=1.0,
        rounds=2,
        round_seconds=1.0,
        connections=(4, 8),
        read_connections=4,
        wrk_threads=1,
        pool_size=4,
        scenarios=frozenset(scenarios),
        output=None,
        adaptive_items=60,
        adaptive_attempts=16,
        adaptive_max_items=10,
        adaptive_memory_attempts=4,
        adaptive_memory_responses=5,
    )


def test_the_bench_reports_every_row_and_column(backend: Backend) -> None:
    config = _tiny()

    section = run(
        config,
        database_url=backend.database_url,
        redis_url=backend.redis_url,
        # Under the test run's prefix, so the backend's clean-up removes what is left.
        key_prefix=f"{backend.key_prefix}bench",
    )

    assert "| " + " | ".join(COLUMNS) + " |" in section
    if shutil.which("py-spy") or (Path(sys.executable).parent / "py-spy").exists():
        for path in ("save answer", "remaining time", "adaptive response"):
            assert f"### Profile: {path} (" in section, path
    rows = [line for line in section.splitlines() if line.startswith("| ")]

    def only_row(label: str, cells: int) -> str:
        matching = [row for row in rows if row.startswith(f"| {label} |")]
        assert len(matching) == 1, label
        assert matching[0].count(" | ") == cells - 1, matching[0]
        return matching[0]

    for label in row_labels(config):
        assert "not run" not in only_row(label, len(COLUMNS))
    assert NOT_MEASURABLE not in section
    assert "PostgreSQL" in section
    assert "os.cpu_count()" in section
    assert "### Profile: save answer" in section
    assert "### Profile: remaining time" in section
    assert "adaptive responses at 4 conns" in section
    assert "adaptive memory: " in section
    for comparison in COMPARISONS:
        assert "| ? |" not in only_row(comparison.name, 7)
    if "save" in config.scenarios:
        p99_row = next(row for row in rows if row.startswith("| save answer p99, 4 conns |"))
        assert "pgbench, 4 clients" in p99_row  # its own latency percentiles, for scale
