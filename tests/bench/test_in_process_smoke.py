"""The in-process morning bench with a handful of candidates: every row of its table
complete for the service and the floor, never a number checked."""

from __future__ import annotations

import math

import pytest
from bench.morning.in_process import KINDS, parse, run
from tests.backend import Backend


@pytest.mark.integration
@pytest.mark.parametrize("questions", ["with-start", "separate"])
def test_the_in_process_morning_reports_every_request_of_both_apps(
    backend: Backend, questions: str
) -> None:
    args = parse([
        "--questions", questions,
        "--candidates", "6", "--warm-up", "2", "--concurrency", "1,3", "--pool-size", "4",
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        # Under the test run's prefix, so the backend's clean-up removes what is left.
        "--redis-key-prefix", f"{backend.key_prefix}inprocess", "--no-output",
    ])  # fmt: skip

    section, rows = run(args)

    assert [row.concurrency for row in rows] == [1, 3]
    for row in rows:
        for costs in (row.service, row.floor):
            assert costs.candidates == 6
            assert costs.per_candidate_ms() > 0
        line = next(
            line for line in section.splitlines() if line.startswith(f"| {row.concurrency} |")
        )
        assert "nan" not in line
        assert line.count(" | ") == 5
    one_at_a_time = rows[0]
    assert all(not math.isnan(one_at_a_time.service.per_candidate_ms(kind)) for kind in KINDS)
    listed_apart = {costs.by_kind["questions"] > 0 for costs in (rows[0].service, rows[0].floor)}
    assert listed_apart == {questions == "separate"}
    assert ("in the start" in section) == (questions == "with-start")
