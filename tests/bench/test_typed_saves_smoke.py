"""The typed-save bench runs end to end on tiny counts; never asserts numbers."""

from __future__ import annotations

import shutil

import pytest
from bench.typed_saves import main
from tests.backend import Backend

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed"),
]


def test_the_typed_save_bench_reports_every_kind(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    main([
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        "--attempts", "5", "--connections", "2", "--seconds", "1", "--rounds", "1",
        "--no-output",
    ])  # fmt: skip
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0] for row in rows[1:]] == ["| single", "| multiple", "| text"]
    assert rows[1].split(" | ")[2] == "100%"
    assert "- command: `uv run --group bench python -m bench.typed_saves" in printed
