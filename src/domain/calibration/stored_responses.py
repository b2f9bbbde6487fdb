"""The response matrix of an exam's final attempts: what a calibration job fits.

A fixed-form answer is scored 0/1 by its question's own marking (1 only with full marks;
an essay nobody has scored yet is left out). An unanswered fixed-form question counts as
not administered, not as wrong: an omit says little about the item and much about time.
An adaptive response (pretest items included, which are never scored in the attempt but
are exactly what a calibration is for) is 0/1 as the engine recorded it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

from domain.calibration.errors import CalibrationError
from domain.calibration.response_matrix import ResponseMatrix
from domain.errors import UnknownQuestion
from domain.exam import Exam
from domain.questions import JsonValue
from domain.responses import Response


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseSheet:
    """One final attempt's answers (fixed form) and responses (adaptive)."""

    attempt_id: UUID
    answers: Mapping[str, JsonValue] = field(default_factory=dict)
    responses: Sequence[Response] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedItem:
    item_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class StoredResponses:
    """The matrix over the items that can be fitted, and the items that cannot, with why."""

    matrix: ResponseMatrix
    skipped: tuple[SkippedItem, ...]


def stored_responses(exam: Exam, sheets: Sequence[ResponseSheet]) -> StoredResponses:
    """One row per sheet with any scored response, one column per fittable question (in
    the exam's order); questions without responses, or answered all right or all wrong,
    are skipped, since no finite parameters fit them."""
    columns = {question.id: n for n, question in enumerate(exam.questions)}
    marking = _Marking(exam)
    rows = []
    for sheet in sheets:
        row = [math.nan] * len(columns)  # a list: numpy's item assignment costs more
        for question_id, right in marking.scored(sheet):
            column = columns.get(question_id)
            if column is not None:
                row[column] = 1.0 if right else 0.0
        if any(not math.isnan(x) for x in row):
            rows.append(row)
    if not rows:
        raise CalibrationError("the exam has no scored responses in final attempts yet")
    scores = np.array(rows, dtype=np.float64)
    kept, skipped = [], []
    for question_id, n in columns.items():
        reason = _unfittable(scores[:, n])
        if reason is None:
            kept.append(n)
        else:
            skipped.append(SkippedItem(item_id=question_id, reason=reason))
    if not kept:
        raise CalibrationError("no item has both right and wrong responses yet")
    ids = [exam.questions[n].id for n in kept]
    return StoredResponses(matrix=ResponseMatrix(scores[:, kept], ids), skipped=tuple(skipped))


class _Marking:
    """Right or wrong per answer, by the question's own marking. Thousands of sheets give
    the same few options: a verdict is computed once per question and plain answer (a
    full marking per cell made a 5,000-examinee exam take seconds of pure Python)."""

    def __init__(self, exam: Exam) -> None:
        self._exam = exam
        self._verdicts: dict[tuple[str, str | int | float | bool], bool | None] = {}

    def scored(self, sheet: ResponseSheet) -> list[tuple[str, bool]]:
        scored = [(response.item_id, response.correct) for response in sheet.responses]
        responded = {item_id for item_id, _ in scored}
        for question_id, answer in sheet.answers.items():
            if question_id in responded:
                continue  # an adaptive response is also an answer: counted once
            right = self._verdict(question_id, answer)
            if right is not None:
                scored.append((question_id, right))
        return scored

    def _verdict(self, question_id: str, answer: JsonValue) -> bool | None:
        """None when the answer is not scored (a question not in the exam, an essay no
        one has marked yet)."""
        if not isinstance(answer, str | int | float | bool):
            return self._mark(question_id, answer)
        key = (question_id, answer)
        if key not in self._verdicts:
            self._verdicts[key] = self._mark(question_id, answer)
        return self._verdicts[key]

    def _mark(self, question_id: str, answer: JsonValue) -> bool | None:
        try:
            question = self._exam.question(question_id)
        except UnknownQuestion:
            return None
        mark = question.mark(answer)
        if mark.points is None:
            return None
        return mark.points == mark.max_points and mark.points > 0


def _unfittable(column: NDArray[np.float64]) -> str | None:
    given = column[~np.isnan(column)]
    if given.size == 0:
        return "no responses"
    if np.all(given == 1.0):
        return "every response is correct"
    if np.all(given == 0.0):
        return "every response is wrong"
    return None
