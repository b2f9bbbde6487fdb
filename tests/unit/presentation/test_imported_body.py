"""An imported exam body: validated as ExamIn, and every field ExamIn has no place for
listed in the report instead of being dropped in silence."""

from __future__ import annotations

import pytest
from litestar.exceptions import ValidationException

from application.ports.exam_packages import ImportedExam, JsonObject, SkippedContent
from presentation.api.imported_body import exam_in_of, unknown_fields
from presentation.api.limits import InputLimits
from presentation.api.schemas.exams import ExamIn

OPTIONS = [{"key": "A", "text": "a", "fixed": True}, {"key": "B", "text": "b"}]
LIMITS = InputLimits(
    questions_per_exam=1,
    options_per_question=10,
    title_length=100,
    stem_length=1000,
    option_text_length=100,
    reason_length=100,
)


def _imported(exam: JsonObject) -> ImportedExam:
    skipped = (SkippedContent(identifier="order", reason="no equivalent"),)
    return ImportedExam(exam=exam, imported=1, skipped=skipped)


def _body(**extra: object) -> JsonObject:
    question: JsonObject = {"id": "q1", "stem": "?", "options": OPTIONS, "correct_key": "A"}
    return {"title": "Imported", "mode": "fixed", "questions": [question], **extra}  # type: ignore[dict-item]


def test_fields_without_a_place_are_named_by_path() -> None:
    body = _body(sections=[{"id": "s1", "order": "x"}], adaptive=None)
    body["questions"][0]["type"] = "single"  # type: ignore[index,call-overload]
    # `type` has its place since the question types landed, sections since they did
    # (issue 17): only what has no place in them is named.
    assert list(unknown_fields(body, ExamIn)) == [
        "questions[0].options[0].fixed",
        "sections[0].order",
    ]


def test_the_duration_is_given_when_the_package_has_none() -> None:
    definition, unused = exam_in_of(_imported(_body()), LIMITS, duration_seconds=600)
    assert definition.duration_seconds == 600
    assert [u.identifier for u in unused] == ["questions[0].options[0].fixed"]
    with_limit, _ = exam_in_of(_imported(_body(duration_seconds=60)), LIMITS, duration_seconds=1)
    assert with_limit.duration_seconds == 60  # the package's own time limit wins


def test_a_body_that_is_no_exam_is_a_validation_error_naming_the_field() -> None:
    with pytest.raises(ValidationException) as refused:
        exam_in_of(_imported(_body()), LIMITS)
    assert "duration_seconds" in str(refused.value.detail)
    body = _body(duration_seconds=60)
    body["questions"][0]["points"] = "1"  # type: ignore[index,call-overload]
    with pytest.raises(ValidationException, match="points"):
        exam_in_of(_imported(body), LIMITS)


def test_the_operators_limits_apply() -> None:
    body = _body(duration_seconds=60)
    body["questions"] = [*body["questions"], *body["questions"]]  # type: ignore[misc]
    with pytest.raises(ValidationException, match="at most 1"):
        exam_in_of(_imported(body), LIMITS)
