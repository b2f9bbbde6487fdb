"""`hourglass exam import` holds a file to the same limits as POST /exams, and refuses it
before any database is started."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from presentation.cli.main import main


def _question(number: int) -> dict[str, object]:
    options = [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}]
    return {"id": f"q{number}", "stem": "?", "options": options, "correct_key": "A"}


def test_an_exam_over_the_limits_is_refused_with_the_part_named(tmp_path: Path) -> None:
    exam = tmp_path / "exam.json"
    body = {"title": "Import", "duration_seconds": 60, "questions": [_question(1), _question(2)]}
    exam.write_text(json.dumps(body))
    result = CliRunner().invoke(
        main,
        ["exam", "import", str(exam), "--data-dir", str(tmp_path)],
        env={"HOURGLASS_MAX_QUESTIONS_PER_EXAM": "1"},
    )
    assert result.exit_code != 0
    assert "questions: 2 entries; at most 1 are allowed" in result.output


def test_a_question_id_outside_the_alphabet_is_refused(tmp_path: Path) -> None:
    exam = tmp_path / "exam.json"
    body = {"title": "Import", "duration_seconds": 60, "questions": [_question(1)]}
    body["questions"][0]["id"] = "a/b"  # type: ignore[index]
    exam.write_text(json.dumps(body))
    result = CliRunner().invoke(main, ["exam", "import", str(exam), "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "questions[0].id" in result.output
