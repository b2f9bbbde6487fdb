"""An exam's stored responses as the matrix a calibration fits, and a fit as a new exam."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import numpy as np
import pytest

from domain.adaptive.quadrature import NormalPrior
from domain.calibration.applied import calibrated_exam
from domain.calibration.errors import CalibrationError
from domain.calibration.job import CalibrationOutcome
from domain.calibration.stored_responses import ResponseSheet, SkippedItem, stored_responses
from domain.errors import InvalidExamDefinition
from domain.exam import AdaptiveRules, ExamMode, IrtParameters, Question
from domain.proficiency import MIN_PRIOR_SD, ProficiencyEstimate
from domain.questions.open_ended import Essay
from domain.responses import Response
from tests.fakes.builders import make_exam, make_questions


def _sheet(answers: dict[str, str] | None = None, *responses: tuple[str, bool]) -> ResponseSheet:
    return ResponseSheet(
        attempt_id=uuid4(),
        answers=answers or {},
        responses=tuple(Response(item_id=i, option="A", correct=c) for i, c in responses),
    )


def test_fixed_answers_score_by_their_marking_and_blanks_are_not_administered() -> None:
    exam = make_exam(questions=make_questions(3))  # keys "A"
    stored = stored_responses(
        exam,
        [
            _sheet({"q1": "A", "q2": "B"}),
            _sheet({"q1": "B", "q2": "A", "q3": "A"}),
            _sheet({"q3": "B"}),
        ],
    )
    assert stored.matrix.item_ids == ("q1", "q2", "q3")
    np.testing.assert_array_equal(
        stored.matrix.scores, [[1, 0, np.nan], [0, 1, 1], [np.nan, np.nan, 0]]
    )
    assert stored.skipped == ()


def test_adaptive_and_pretest_responses_fill_their_items_only() -> None:
    exam = make_exam(questions=make_questions(4))
    stored = stored_responses(
        exam,
        [
            # A response is also kept as an answer: counted once, as the engine scored it.
            _sheet({"q1": "B"}, ("q1", True), ("q2", False)),
            _sheet({}, ("q2", True), ("q1", False), ("q9", True)),  # q9: not in the exam
        ],
    )
    assert stored.matrix.item_ids == ("q1", "q2")
    np.testing.assert_array_equal(stored.matrix.scores, [[1, 0], [0, 1]])
    assert stored.skipped == (
        SkippedItem(item_id="q3", reason="no responses"),
        SkippedItem(item_id="q4", reason="no responses"),
    )


def test_items_all_right_or_all_wrong_are_skipped_with_why() -> None:
    exam = make_exam(questions=make_questions(3))
    stored = stored_responses(exam, [_sheet({"q1": "A", "q2": "B", "q3": "A"}),
                                     _sheet({"q1": "A", "q2": "B", "q3": "B"})])  # fmt: skip
    assert stored.matrix.item_ids == ("q3",)
    assert [s.reason for s in stored.skipped] == [
        "every response is correct",
        "every response is wrong",
    ]


def test_an_unscored_essay_is_left_out() -> None:
    essay = Question(id="e", stem="Why?", key=Essay())
    exam = make_exam(questions=(*make_questions(1), essay))
    stored = stored_responses(exam, [_sheet({"q1": "A", "e": "text"}), _sheet({"q1": "B"})])
    assert stored.matrix.item_ids == ("q1",)
    assert stored.skipped == (SkippedItem(item_id="e", reason="no responses"),)


def test_nothing_to_fit_is_refused() -> None:
    exam = make_exam(questions=make_questions(2))
    with pytest.raises(CalibrationError, match="no scored responses"):
        stored_responses(exam, [_sheet({})])
    with pytest.raises(CalibrationError, match="no item has both"):
        stored_responses(exam, [_sheet({"q1": "A"})])


OUTCOME = CalibrationOutcome(
    items=(
        {"id": "q1", "a": 1.4, "b": -0.5, "c": 0.1, "se_a": 0.2, "se_b": 0.1},
        {"id": "q3", "a": 0.9, "b": 0.7, "c": 0.0, "se_a": 0.1, "se_b": None},
    ),
    log_likelihood=-50.0, iterations=12, converged=True, examinees=30,
)  # fmt: skip


def test_a_fit_becomes_a_new_adaptive_exam_of_the_fitted_questions() -> None:
    source = make_exam(questions=make_questions(3), max_attempts=2)
    new_id = uuid4()
    exam = calibrated_exam(source, OUTCOME, exam_id=new_id, adaptive=AdaptiveRules(max_items=2))
    assert (exam.id, exam.mode, exam.title) == (new_id, ExamMode.ADAPTIVE, "Algebra I (calibrated)")
    assert [q.id for q in exam.questions] == ["q1", "q3"]
    assert exam.question("q1").irt == IrtParameters(a=1.4, b=-0.5, c=0.1)
    assert exam.question("q3").correct_key == source.question("q3").correct_key
    assert (exam.duration, exam.max_attempts) == (source.duration, 2)


def test_a_fixed_source_needs_rules_and_the_rules_must_fit_the_new_bank() -> None:
    source = make_exam(questions=make_questions(3))
    with pytest.raises(InvalidExamDefinition, match="give `adaptive`"):
        calibrated_exam(source, OUTCOME, exam_id=uuid4())
    with pytest.raises(InvalidExamDefinition, match="max_items exceeds"):
        calibrated_exam(source, OUTCOME, exam_id=uuid4(), adaptive=AdaptiveRules(max_items=3))


def test_a_proficiency_is_a_prior_with_a_floor_on_its_width() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    narrow = ProficiencyEstimate(
        attempt_id=uuid4(), candidate_id="c", exam_id=uuid4(), theta=1.2, se=0.2, updated_at=at
    )
    assert narrow.as_prior() == NormalPrior(mean=1.2, sd=MIN_PRIOR_SD)
    wide = ProficiencyEstimate(
        attempt_id=uuid4(), candidate_id="c", exam_id=uuid4(), theta=-0.4, se=0.9,
        updated_at=at + timedelta(days=1),
    )  # fmt: skip
    assert wide.as_prior() == NormalPrior(mean=-0.4, sd=0.9)
    with pytest.raises(ValueError, match="finite"):
        ProficiencyEstimate(
            attempt_id=uuid4(), candidate_id="c", exam_id=uuid4(), theta=float("nan"), se=0.3,
            updated_at=at,
        )  # fmt: skip
