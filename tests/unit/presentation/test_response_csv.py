"""The CSV response-matrix reader: blanks are missing, anything else but 0/1 is refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from domain.calibration import DegenerateItemError
from presentation.cli.response_csv import ResponseCsvError, read_response_matrix


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "responses.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_blank_cells_are_not_administered_and_ids_come_from_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeffq1, q2 ,q3\n1,0,\n0, 1 ,1\n1,,0\n")
    matrix = read_response_matrix(path)
    assert matrix.item_ids == ("q1", "q2", "q3")
    np.testing.assert_array_equal(
        matrix.scores, [[1.0, 0.0, np.nan], [0.0, 1.0, 1.0], [1.0, np.nan, 0.0]]
    )
    np.testing.assert_array_equal(matrix.administered.sum(axis=0), [3.0, 2.0, 2.0])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no header row"),
        ("q1,,q3\n1,0,1\n", "empty item id"),
        ("q1,q2,q1\n1,0,1\n", "item ids appear twice: q1"),
        ("q1,q2\n", "no responses under the header"),
        ("q1,q2\n1,0\n1\n", "line 3: 1 cells for 2 items"),
        ("q1,q2\n1,0\n0,yes\n", "line 3: 'yes' is not 0, 1 or blank"),
    ],
)
def test_malformed_files_are_refused_with_the_place(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(ResponseCsvError, match=reason):
        read_response_matrix(_write(tmp_path, text))


def test_an_item_nobody_answered_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(DegenerateItemError, match="unused has no responses"):
        read_response_matrix(_write(tmp_path, "q1,unused\n1,\n0,\n"))
