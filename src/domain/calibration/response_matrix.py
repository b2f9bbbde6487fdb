"""The examinee-by-item matrix of scored responses, with the cells never administered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from domain.calibration.errors import CalibrationError, DegenerateItemError

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class ResponseMatrix:
    """Rows are examinees, columns items; 1 correct, 0 wrong, NaN not administered.

    An adaptive test leaves most cells empty, so the matrix keeps ``administered`` (1 where
    a response exists) and ``correct`` (1 where it was right, 0 elsewhere, NaN removed)
    ready for the matrix products the EM runs on.
    """

    scores: FloatArray
    item_ids: tuple[str, ...]
    correct: FloatArray = field(init=False, repr=False)
    administered: FloatArray = field(init=False, repr=False)

    def __init__(self, scores: ArrayLike, item_ids: Sequence[str] | None = None) -> None:
        values = np.array(scores, dtype=np.float64)
        if values.ndim != 2 or values.shape[0] == 0 or values.shape[1] == 0:
            raise CalibrationError("responses must be a non-empty examinee-by-item matrix")
        ids = tuple(item_ids) if item_ids is not None else tuple(map(str, range(values.shape[1])))
        if len(ids) != values.shape[1]:
            raise CalibrationError(f"{len(ids)} item ids for {values.shape[1]} item columns")
        present = ~np.isnan(values)
        if not np.all((values[present] == 0.0) | (values[present] == 1.0)):
            raise CalibrationError("every response must be 0, 1 or missing")
        administered = present.astype(np.float64)
        correct = np.where(present, values, 0.0)
        _refuse_degenerate_items(ids, administered.sum(axis=0), correct.sum(axis=0))
        for array in (values, administered, correct):
            array.setflags(write=False)
        object.__setattr__(self, "scores", values)
        object.__setattr__(self, "item_ids", ids)
        object.__setattr__(self, "administered", administered)
        object.__setattr__(self, "correct", correct)

    @property
    def examinees(self) -> int:
        return int(self.scores.shape[0])

    @property
    def items(self) -> int:
        return int(self.scores.shape[1])


def _refuse_degenerate_items(ids: tuple[str, ...], counts: FloatArray, rights: FloatArray) -> None:
    problems = []
    for item_id, count, right in zip(ids, counts, rights, strict=True):
        if count == 0:
            problems.append(f"{item_id} has no responses")
        elif right == count:
            problems.append(f"{item_id}: every response is correct")
        elif right == 0:
            problems.append(f"{item_id}: every response is wrong")
    if problems:
        raise DegenerateItemError(
            "no finite item parameters for "
            + "; ".join(problems)
            + " (drop these items or gather more responses)"
        )
