import pytest
from bench.adaptive.core import BenchConfig, exposure_control, side_by_side
from bench.adaptive.report import COLUMNS, EXPOSURE_COLUMNS, render


def _tiny(include_catsim: bool) -> BenchConfig:
    return BenchConfig(
        bank_sizes=(60, 120),
        catsim_examinees=4,
        exposure_examinees=8,
        calibration_rounds=1,
        fixed_length=5,
        se_target=0.6,
        se_max_items=8,
        include_catsim=include_catsim,
    )


def _check_report(config: BenchConfig, engines_per_design: int) -> str:
    side = side_by_side(config)
    exposure = exposure_control(config)
    report = render(config, side, exposure, ["- smoke run"])

    assert len(side) == len(config.bank_sizes) * 2 * engines_per_design
    assert len(exposure) == 2 * (engines_per_design + 1)
    for header in (COLUMNS, EXPOSURE_COLUMNS):
        assert "| " + " | ".join(header) + " |" in report
    for row in (*side, *exposure):
        assert f"| {row.bank} | {row.test} | {row.engine} | {row.examinees} |" in report
    assert "## Targets" in report
    assert "step < 0.05 ms on the 120 bank" in report
    return report


def test_the_bench_core_reports_every_row_and_column_of_our_engine() -> None:
    _check_report(_tiny(include_catsim=False), engines_per_design=1)


def test_the_bench_core_reports_catsim_side_by_side() -> None:
    pytest.importorskip("catsim")

    report = _check_report(_tiny(include_catsim=True), engines_per_design=2)

    assert "RMSE ≥10 % lower than catsim, fixed 5, bank 60" in report
    assert "RMSE no worse than catsim, SE<0.6 (max 8), bank 120" in report
    assert "catsim r_max=0.2" in report
