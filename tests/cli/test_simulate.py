"""`hourglass simulate` on a generated bank: the report and the plot."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from presentation.cli.main import main


def test_simulate_prints_the_measures_and_writes_the_plot(tmp_path: Path) -> None:
    plot = tmp_path / "simulation.png"
    arguments = ["simulate", "--items", "120", "--examinees", "40", "--max-items", "10"]
    outcome = CliRunner().invoke(main, [*arguments, "--exposure-k", "3", "--plot", str(plot)])
    assert outcome.exit_code == 0, outcome.output
    for measure in ["RMSE", "bias", "mean test length", "max item exposure", "conditional RMSE"]:
        assert measure in outcome.output
    assert "| examinees | 40 |" in outcome.output
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_simulate_refuses_a_malformed_exam_id() -> None:
    outcome = CliRunner().invoke(main, ["simulate", "--exam-id", "not-an-id"])
    assert outcome.exit_code != 0
    assert "not an exam id" in outcome.output
