"""`hourglass simulate` on a generated bank: the report, the plot, and the plot's extra."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from presentation.cli.main import main

_ARGUMENTS = ["simulate", "--items", "120", "--examinees", "40", "--max-items", "10"]


def test_simulate_prints_the_measures_and_writes_the_plot(tmp_path: Path) -> None:
    pytest.importorskip(
        "matplotlib", reason="the simulate extra is not installed: uv sync --extra simulate"
    )
    plot = tmp_path / "simulation.png"
    outcome = CliRunner().invoke(main, [*_ARGUMENTS, "--exposure-k", "3", "--plot", str(plot)])
    assert outcome.exit_code == 0, outcome.output
    for measure in ["RMSE", "bias", "mean test length", "max item exposure", "conditional RMSE"]:
        assert measure in outcome.output
    assert "| examinees | 40 |" in outcome.output
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_simulate_without_matplotlib_says_how_to_install_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry in sys.modules makes `import matplotlib` raise ImportError, as it does
    # when the extra is not installed.
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    plot = tmp_path / "simulation.png"

    outcome = CliRunner().invoke(main, [*_ARGUMENTS, "--plot", str(plot)])

    assert outcome.exit_code != 0
    assert "RMSE" in outcome.output  # the report is printed before the plot is attempted
    assert "pip install 'hourglass[simulate]'" in outcome.output
    assert "uv run --extra simulate" in outcome.output
    assert not plot.exists()


def test_simulate_refuses_a_malformed_exam_id() -> None:
    outcome = CliRunner().invoke(main, ["simulate", "--exam-id", "not-an-id"])
    assert outcome.exit_code != 0
    assert "not an exam id" in outcome.output
