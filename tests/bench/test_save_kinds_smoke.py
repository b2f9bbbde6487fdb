"""The benches of save kinds against each other (typed saves, saves into a section) run
end to end on tiny counts; never asserts numbers."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from tests.backend import Backend

from bench import section_saves, typed_saves

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed"),
]


@pytest.mark.parametrize(
    ("main", "module", "kinds"),
    [
        (typed_saves.main, "bench.typed_saves", ["single", "multiple", "text"]),
        (section_saves.main, "bench.section_saves", ["plain", "sectioned"]),
    ],
)
def test_the_bench_reports_every_kind(
    main: Callable[[list[str]], None],
    module: str,
    kinds: list[str],
    backend: Backend,
    capsys: pytest.CaptureFixture[str],
) -> None:
    main([
        "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        "--attempts", "5", "--connections", "2", "--seconds", "1", "--rounds", "1",
        "--no-output",
    ])  # fmt: skip
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0] for row in rows[1:]] == [f"| {kind}" for kind in kinds]
    assert rows[1].split(" | ")[2] == "100%"
    assert f"- command: `uv run --group bench python -m {module}" in printed
