"""Essays and external items: accepted within their size, pending until a scorer marks them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.exam import Question
from domain.questions import Essay, External


def test_essay_takes_text_up_to_max_length_and_is_pending() -> None:
    question = Question(id="e", stem="s", key=Essay(max_length=10), points=4)
    assert question.accept_response("0123456789") == "0123456789"
    with pytest.raises(InvalidResponse, match="at most 10"):
        question.accept_response("0123456789x")
    with pytest.raises(InvalidResponse):
        question.accept_response(["text"])
    mark = question.mark("anything")
    assert (mark.points, mark.max_points) == (None, Fraction(4))


def test_essay_length_limits() -> None:
    with pytest.raises(InvalidExamDefinition):
        Essay(max_length=0)
    with pytest.raises(InvalidExamDefinition):
        Essay(max_length=10**6)


def test_external_takes_any_json_up_to_its_bytes() -> None:
    question = Question(id="x", stem="s", key=External(max_length=24))
    for response in ({"a": [1, 2.5, None, True]}, "text", 3, [], False):
        assert question.accept_response(response) == response
    with pytest.raises(InvalidResponse, match="bytes"):
        question.accept_response("é" * 12)  # 26 bytes as JSON
    assert question.mark([1]).points is None
    with pytest.raises(InvalidExamDefinition):
        External(max_length=64 * 1024 + 1)
