"""The client round-trip bench runs end to end on tiny counts; never asserts numbers."""

from __future__ import annotations

import pytest
from bench.clients import main
from tests.backend import Backend

pytestmark = pytest.mark.integration


def test_the_client_bench_reports_every_way(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    main([
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        "--calls", "40", "--rounds", "1", "--no-output",
    ])  # fmt: skip
    printed = capsys.readouterr().out
    ways = (
        "asyncpg pool", "AnswerConnections", "redis-py GET alone", "AutoPipeline GET",
        "PipelinedConnection GET", "AutoPipeline put script", "PipelinedConnection put script",
    )  # fmt: skip
    for way in ways:
        assert f"| {way} |" in printed
    assert "- command: `uv run --group bench python -m bench.clients" in printed
