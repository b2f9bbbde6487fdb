"""Reads a 0/1 response matrix from CSV: a header of item ids, one row per examinee, a
blank cell where the item was not administered."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from domain.calibration import ResponseMatrix

_SCORES = {"0": 0.0, "1": 1.0, "": np.nan}


class ResponseCsvError(ValueError):
    """The file is not a response matrix; the message says where and why."""


def read_response_matrix(path: Path) -> ResponseMatrix:
    """The matrix in ``path``; degenerate items are refused by ``ResponseMatrix`` itself."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        rows = csv.reader(file)
        header = next(rows, None)
        if not header:
            raise ResponseCsvError(f"{path}: no header row of item ids")
        item_ids = [cell.strip() for cell in header]
        if any(not item_id for item_id in item_ids):
            raise ResponseCsvError(f"{path}: the header has an empty item id")
        repeated = sorted({i for i in item_ids if item_ids.count(i) > 1})
        if repeated:
            raise ResponseCsvError(f"{path}: item ids appear twice: {', '.join(repeated)}")
        scores = [_row(path, number, row, len(item_ids)) for number, row in enumerate(rows, 2)]
    if not scores:
        raise ResponseCsvError(f"{path}: no responses under the header")
    return ResponseMatrix(np.array(scores, dtype=np.float64), item_ids)


def _row(path: Path, number: int, row: list[str], width: int) -> list[float]:
    if len(row) != width:
        raise ResponseCsvError(f"{path}, line {number}: {len(row)} cells for {width} items")
    try:
        return [_SCORES[cell.strip()] for cell in row]
    except KeyError as error:
        raise ResponseCsvError(
            f"{path}, line {number}: {error.args[0]!r} is not 0, 1 or blank"
        ) from None
