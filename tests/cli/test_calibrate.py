"""`hourglass calibrate --responses FILE.csv`: the JSON it writes and the errors it gives."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import numpy as np
from click.testing import CliRunner, Result

from domain.exam import Exam, ExamMode
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.exams import ExamCache, SqlExamRepository
from infrastructure.postgres.sessions import OneSession
from presentation.cli.main import main
from tests.backend import Backend
from tests.integration.postgres.builders import (
    NOW,
    attempts_in,
    fixed_exam,
    question,
    started,
    stored_exam,
)
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


# --- from an exam's stored responses -------------------------------------------------------

STORED_ITEMS = 5


async def _exam_with_final_attempts(backend: Backend) -> Exam:
    """A fixed-form exam of single-choice items and 60 submitted attempts answering like
    2PL examinees (seeded), stored through the service's own adapters."""
    exam = fixed_exam(
        questions=tuple(question(f"i{n}", "a") for n in range(STORED_ITEMS)), max_attempts=1
    )
    engine = create_engine(backend.database_url, pool_size=1)
    sessions = create_sessionmaker(engine)
    rng = np.random.default_rng(4)
    difficulty = np.linspace(-1, 1, STORED_ITEMS)
    try:
        await stored_exam(sessions, exam)
        async with sessions() as session:
            for theta in rng.normal(size=60):
                attempt = started(exam)
                for item, b in zip(exam.questions, difficulty, strict=True):
                    right = rng.random() < 1 / (1 + np.exp(-(theta - b)))
                    attempt.save_answer(
                        item, "a" if right else "b", now=NOW, network_grace=timedelta(0)
                    )
                attempt.submit(exam, NOW)
                await attempts_in(session).add(attempt, number=1)
            await session.commit()
    finally:
        await engine.dispose()
    return exam


def _calibrate(backend: Backend, *args: str) -> Result:
    env = {"HOURGLASS_DATABASE_URL": backend.database_url}
    return CliRunner().invoke(main, ["calibrate", *args], env=env)


def test_an_exams_stored_responses_are_fitted_to_standard_output(backend: Backend) -> None:
    exam = asyncio.run(_exam_with_final_attempts(backend))
    result = _calibrate(backend, "--exam-id", str(exam.id), "--model", "2pl")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"items", "log_likelihood", "iterations"}
    assert [item["id"] for item in document["items"]] == [f"i{n}" for n in range(STORED_ITEMS)]
    for item in document["items"]:
        assert set(item) == {"id", "a", "b", "c", "se_a", "se_b"}
    assert document["log_likelihood"] < 0
    assert "EM iterations" in result.stderr
    assert "60 examinees" in result.stderr


def test_apply_writes_a_new_adaptive_exam(backend: Backend, tmp_path: Path) -> None:
    exam = asyncio.run(_exam_with_final_attempts(backend))
    rules = tmp_path / "adaptive.json"
    rules.write_text(json.dumps({"max_items": 3, "se_target": 0.4}))
    output = tmp_path / "fit.json"
    result = _calibrate(
        backend, "--exam-id", str(exam.id), "--apply", "--adaptive", str(rules),
        "--title", "Calibrated form", "--output", str(output),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    fitted = {item["id"]: item for item in json.loads(output.read_text())["items"]}
    created = json.loads(result.stderr.strip().splitlines()[-1])
    new_exam = asyncio.run(_stored(backend, UUID(created["exam_id"])))
    assert new_exam is not None
    assert (new_exam.mode, new_exam.title) == (ExamMode.ADAPTIVE, "Calibrated form")
    assert new_exam.adaptive is not None
    assert new_exam.adaptive.max_items == 3
    for q in new_exam.questions:
        assert q.irt is not None
        assert (q.irt.a, q.irt.b) == (fitted[q.id]["a"], fitted[q.id]["b"])


def test_apply_needs_adaptive_rules_for_a_fixed_form(backend: Backend) -> None:
    exam = asyncio.run(_exam_with_final_attempts(backend))
    result = _calibrate(backend, "--exam-id", str(exam.id), "--apply")
    assert result.exit_code == 1
    assert "give `adaptive` settings" in result.stderr


def test_one_source_of_responses(tmp_path: Path) -> None:
    neither = CliRunner().invoke(main, ["calibrate"])
    assert neither.exit_code == 2
    assert "--responses" in neither.output
    bad = CliRunner().invoke(main, ["calibrate", "--exam-id", "nope"])
    assert bad.exit_code == 2
    assert "not an exam id" in bad.output


async def _stored(backend: Backend, exam_id: UUID) -> Exam | None:
    engine = create_engine(backend.database_url, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session:
            return await SqlExamRepository(OneSession(session), ExamCache()).get(exam_id)
    finally:
        await engine.dispose()
