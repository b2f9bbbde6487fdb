"""`hourglass calibrate --responses FILE.csv`: the JSON it writes and the errors it gives."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from presentation.cli.main import main
from tests.unit.domain.calibration.simulated import rmse, simulated_bank


def _csv(tmp_path: Path, responses: np.ndarray, ids: list[str]) -> Path:
    path = tmp_path / "responses.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(ids)
        for row in responses:
            writer.writerow(["" if np.isnan(x) else str(int(x)) for x in row])
    return path


def test_a_3pl_calibration_writes_every_item_with_its_parameters(tmp_path: Path) -> None:
    bank = simulated_bank(items=6, examinees=1500, seed=8, guessing=True, missing=0.2)
    ids = [f"item-{n}" for n in range(6)]
    output = tmp_path / "items.json"
    outcome = CliRunner().invoke(
        main,
        [
            "calibrate",
            "--responses",
            str(_csv(tmp_path, bank.responses, ids)),
            "--model",
            "3pl",
            "--output",
            str(output),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "EM iterations" in outcome.output
    assert "6 items, 1500 examinees: converged" in outcome.output
    document = json.loads(output.read_text())
    assert set(document) == {"items", "log_likelihood", "iterations"}
    assert [item["id"] for item in document["items"]] == ids
    assert document["log_likelihood"] < 0
    assert document["iterations"] >= 1
    for item in document["items"]:
        assert set(item) == {"id", "a", "b", "c", "se_a", "se_b"}
        assert 0.0 < item["c"] < 1.0
        assert item["se_a"] > 0
        assert item["se_b"] > 0
    assert rmse(np.array([i["b"] for i in document["items"]]), bank.b) < 0.5


def test_the_iteration_cap_is_reported(tmp_path: Path) -> None:
    bank = simulated_bank(items=4, examinees=500, seed=8)
    outcome = CliRunner().invoke(
        main,
        [
            "calibrate",
            "--responses",
            str(_csv(tmp_path, bank.responses, ["a", "b", "c", "d"])),
            "--output",
            str(tmp_path / "out.json"),
            "--max-iterations",
            "2",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "stopped at --max-iterations 2 after 2 iterations" in outcome.output
    assert json.loads((tmp_path / "out.json").read_text())["iterations"] == 2


def test_an_unreadable_matrix_or_a_degenerate_item_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("q1,q2\n1,0\n0,x\n")
    outcome = CliRunner().invoke(
        main, ["calibrate", "--responses", str(bad), "--output", str(tmp_path / "o.json")]
    )
    assert outcome.exit_code == 1
    assert "line 3: 'x' is not 0, 1 or blank" in outcome.output

    easy = tmp_path / "easy.csv"
    easy.write_text("q1,q2\n1,0\n1,1\n")
    outcome = CliRunner().invoke(
        main, ["calibrate", "--responses", str(easy), "--output", str(tmp_path / "o.json")]
    )
    assert outcome.exit_code == 1
    assert "q1: every response is correct" in outcome.output
    assert not (tmp_path / "o.json").exists()
