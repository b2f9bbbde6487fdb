from __future__ import annotations

import pytest
from litestar.exceptions import ClientException, HTTPException, ValidationException

from presentation.api.json_body import REPORTED_VIOLATIONS, check_limits, decode_json_body
from presentation.api.limits import InputLimits
from presentation.api.schemas.attempts import AnswerIn
from presentation.api.schemas.exams import ExamIn, OptionIn, QuestionIn
from presentation.api.schemas.time_control import PauseIn

JSON = ("application/json", {})
LIMITS = InputLimits(
    questions_per_exam=2,
    options_per_question=2,
    title_length=5,
    stem_length=5,
    option_text_length=5,
    reason_length=5,
)


def test_a_valid_body_decodes_into_its_type() -> None:
    assert decode_json_body(b'{"option": "B"}', JSON, AnswerIn) == AnswerIn(option="B")
    assert decode_json_body(b"", ("", {}), AnswerIn | None) is None


@pytest.mark.parametrize(
    "content_type",
    [
        ("text/plain", {}),
        ("", {}),
        ("application/x-www-form-urlencoded", {}),
        ("application/json", {"charset": "latin-1"}),
    ],
)
def test_other_media_types_and_charsets_are_415(content_type: tuple[str, dict[str, str]]) -> None:
    with pytest.raises(HTTPException) as refused:
        decode_json_body(b'{"option": "B"}', content_type, AnswerIn)
    assert refused.value.status_code == 415


def test_utf8_is_accepted_under_any_spelling_of_its_name() -> None:
    for charset in ("utf-8", "UTF-8", "utf8", '"utf-8"'):
        body = decode_json_body(
            b'{"option": "B"}', ("application/json", {"charset": charset}), AnswerIn
        )
        assert body.option == "B"


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"option": "B", "x": "\xff"}',
        b'{"option": "B", "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    ],
)
def test_bytes_that_are_not_json_are_400(body: bytes) -> None:
    with pytest.raises(ClientException) as refused:
        decode_json_body(body, JSON, AnswerIn)
    assert refused.value.status_code == 400


def test_a_string_for_a_number_is_422_naming_the_field() -> None:
    with pytest.raises(ValidationException) as refused:
        decode_json_body(b'{"option": "B", "expected_version": "1"}', JSON, AnswerIn)
    assert refused.value.extra == [
        {"key": "expected_version", "message": "Expected `int | null`, got `str`", "source": "body"}
    ]


def test_nul_and_ids_outside_the_alphabet_are_422() -> None:
    for body in (b'{"reason": "a\\u0000b"}', b'{"reason": ""}'):
        with pytest.raises(ValidationException):
            decode_json_body(body, JSON, PauseIn)
    for option in ("a/b", "..", "x" * 65, "a\\u0000"):
        with pytest.raises(ValidationException):
            decode_json_body(f'{{"option": "{option}"}}'.encode(), JSON, AnswerIn)


def _exam(questions: int, options: int = 2, text: str = "t") -> ExamIn:
    option = [OptionIn(key=f"k{n}", text=text) for n in range(options)]
    question = QuestionIn(stem="s", options=option, correct_key="k0")
    return ExamIn(title="t", duration_seconds=60, questions=[question] * questions)


def test_a_body_within_the_limits_passes() -> None:
    check_limits(_exam(questions=2, options=2, text="t" * 5), LIMITS)
    check_limits(PauseIn(reason="r" * 5), LIMITS)
    check_limits(AnswerIn(option="A"), LIMITS)  # nothing in it is bounded


def test_every_part_over_a_limit_is_named_up_to_a_few() -> None:
    with pytest.raises(ValidationException) as refused:
        check_limits(_exam(questions=6, options=3, text="t" * 6), LIMITS)
    keys = [error["key"] for error in refused.value.extra]  # type: ignore[union-attr]
    assert keys[:3] == ["questions", "questions[0].options", "questions[0].options[0].text"]
    assert len(keys) == REPORTED_VIOLATIONS
    with pytest.raises(ValidationException, match="reason: 6 characters; at most 5"):
        check_limits(PauseIn(reason="r" * 6), LIMITS)
