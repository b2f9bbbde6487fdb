"""`hourglass simulate --calibrate-exposure R_MAX`: parameters by simulation, written to a
file, and stored on a new exam with --store (the original stays as it was)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from click.testing import CliRunner

from presentation.cli.main import main
from tests.backend import Backend

pytest.importorskip("matplotlib", reason="the simulate extra is not installed")


def _max_exposure(report: str) -> float:
    found = re.search(r"\| max item exposure \| ([0-9.]+) \|", report)
    assert found is not None, report
    return float(found.group(1))


def test_calibrated_parameters_hold_exposure_near_r_max(tmp_path: Path) -> None:
    common = ["simulate", "--items", "150", "--examinees", "300", "--max-items", "10"]
    common += ["--plot", str(tmp_path / "plot.png")]
    output = tmp_path / "exposure.json"

    plain = CliRunner().invoke(main, common)
    calibrated = CliRunner().invoke(
        main, [*common, "--calibrate-exposure", "0.2", "--exposure-output", str(output)]
    )

    assert plain.exit_code == 0, plain.output
    assert calibrated.exit_code == 0, calibrated.output
    exposure = json.loads(output.read_text())
    assert exposure["method"] == "sympson_hetter"
    assert exposure["r_max"] == 0.2
    assert exposure["parameters"]
    assert all(0 < k < 1 for k in exposure["parameters"].values())
    assert _max_exposure(plain.output) > 0.5
    # Checked on other examinees than those the parameters were computed on: a rate of
    # 0.2 over 300 of them has an SD of 0.023, so 0.28 is r_max plus 3.5 SD.
    assert _max_exposure(calibrated.output) <= 0.28


def _bank(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"item-{i:03d}",
            "stem": f"Item {i}",
            "options": [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}],
            "correct_key": "A",
            "irt": {"a": 0.8 + (i % 7) / 5, "b": -2.5 + 5 * i / n, "c": 0.1},
        }
        for i in range(n)
    ]


def test_store_writes_a_new_exam_with_the_parameters(tmp_path: Path, backend: Backend) -> None:
    env = {"HOURGLASS_DATABASE_URL": backend.database_url}
    body = {
        "title": "Calibrate me",
        "mode": "adaptive",
        "duration_seconds": 600,
        "questions": _bank(80),
        "adaptive": {"max_items": 8, "exposure_k": 2},
    }
    definition = tmp_path / "exam.json"
    definition.write_text(json.dumps(body))
    imported = CliRunner().invoke(main, ["exam", "import", str(definition)], env=env)
    assert imported.exit_code == 0, imported.output
    original = json.loads(imported.stdout)["id"]

    outcome = CliRunner().invoke(
        main,
        [
            "simulate", "--exam-id", original, "--examinees", "200", "--rounds", "4",
            "--calibrate-exposure", "0.3", "--store",
            "--exposure-output", str(tmp_path / "exposure.json"),
            "--plot", str(tmp_path / "plot.png"),
        ],
        env=env,
    )  # fmt: skip

    assert outcome.exit_code == 0, outcome.output
    stored = next(json.loads(line) for line in outcome.stdout.splitlines() if line.startswith("{"))
    assert stored["calibrated_from"] == original
    new, old = asyncio.run(_adaptive(backend, UUID(stored["id"]), UUID(original)))
    written = json.loads((tmp_path / "exposure.json").read_text())
    assert new["exposure"] == written
    assert new["exposure"]["k"] == 2
    assert new["exposure"]["parameters"]
    assert "exposure" not in old  # exams are immutable: the original is unchanged


async def _adaptive(backend: Backend, *exam_ids: UUID) -> list[dict[str, object]]:
    connection = await asyncpg.connect(backend.database_url)
    try:
        rows = [
            await connection.fetchval("SELECT adaptive::text FROM exams WHERE id = $1", exam_id)
            for exam_id in exam_ids
        ]
    finally:
        await connection.close()
    return [json.loads(row) for row in rows]
