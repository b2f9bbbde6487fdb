"""The response-write bench runs end to end on tiny counts; never asserts numbers."""

from __future__ import annotations

import shutil

import pytest
from bench.response_writes import main
from tests.backend import Backend

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("pgbench") is None, reason="pgbench is not installed"),
]


def test_the_response_write_bench_reports_every_write(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    main([
        "--database-url", backend.database_url, "--attempts", "40", "--clients", "4",
        "--seconds", "1", "--rounds", "2", "--no-output",
    ])  # fmt: skip
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| ")]
    assert rows[1].startswith("| save (fixed form, 25 answers) | ")
    for kind in ("counted", "listed"):
        for length in (10, 40):
            assert any(row.startswith(f"| response, {kind} ({length} responses before) | ")
                       for row in rows), (kind, length)  # fmt: skip
    assert all(row.count(" | ") == 3 for row in rows[1:])
    assert "- command: `uv run --group bench python -m bench.response_writes" in printed
