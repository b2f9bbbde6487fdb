"""The exam RSS bench on tiny exams: a row per step, the idle row last, sizes sane."""

from __future__ import annotations

import pytest
from bench.exam_rss.__main__ import main
from tests.backend import Backend


def test_the_table_has_a_row_per_step(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "--steps", "2,4", "--questions", "20", "--cache-mib", "1", "--idle-seconds", "0.2",
            "--database-url", backend.database_url, "--redis-url", backend.redis_url,
        ]
    )  # fmt: skip
    assert code == 0
    table = capsys.readouterr().out.strip().splitlines()
    assert table[0] == "exam cache budget: 1 MiB"
    rows = [line.split("|")[1:-1] for line in table[3:]]
    assert [row[0].strip() for row in rows] == ["start", "2 exams", "4 exams", "idle"]
    assert [int(row[1]) for row in rows] == [0, 2, 4, 4]
    assert all(20 < int(row[2]) < 2000 for row in rows)  # MiB of a Python process
