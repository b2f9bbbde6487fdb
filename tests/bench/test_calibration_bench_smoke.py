"""The calibration bench on tiny matrices: every case has a row per engine, every column."""

from __future__ import annotations

from bench.calibration import COLUMNS, ENGINES, Case, render, run

from domain.calibration import ItemModel

_TINY = (
    Case("2PL tiny", ItemModel.TWO_PL, 6, 300),
    Case("3PL tiny", ItemModel.THREE_PL, 6, 400),
    Case("2PL tiny, 30% missing", ItemModel.TWO_PL, 6, 400, missing=0.3),
)


def test_the_table_has_every_case_engine_and_column() -> None:
    rows = run(_TINY, seed=3)
    table = render(rows)

    assert "| " + " | ".join(COLUMNS) + " |" in table
    assert len(rows) == len(_TINY) * len(ENGINES)
    for case in _TINY:
        for engine in ENGINES:
            assert f"| {case.name} | {engine} |" in table
    ours = [row for row in rows if row.engine == ENGINES[0]]
    assert all(not row.failure for row in ours)
    assert all(row.rmse_a < 1.0 and row.rmse_b < 1.0 for row in ours)
    # girth's 2PL runs here; a girth row that failed says why instead of leaving blanks.
    for row in rows:
        if row.engine == ENGINES[1]:
            assert row.failure or row.seconds > 0
            failed_row = f"| {row.case} | {row.engine} | failed: {row.failure} |"
            assert (failed_row in table) == bool(row.failure)
