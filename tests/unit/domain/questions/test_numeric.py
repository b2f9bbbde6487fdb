"""Numeric questions: finite values, tolerance as written, relative tolerance around zero."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.exam import Option, Question
from domain.questions import NumericAnswer


def numeric(value: float, tolerance: float = 0.0, *, relative: bool = False) -> Question:
    key = NumericAnswer(value=value, tolerance=tolerance, relative=relative)
    return Question(id="n", stem="s", key=key)


@pytest.mark.parametrize(
    ("value", "tolerance"), [(math.nan, 0), (math.inf, 0), (1, -0.5), (1, math.nan), (1, math.inf)]
)
def test_definition_needs_finite_numbers_and_a_tolerance_of_at_least_zero(
    value: float, tolerance: float
) -> None:
    with pytest.raises(InvalidExamDefinition):
        numeric(value, tolerance)


def test_no_options() -> None:
    options = (Option(key="A", text="a"), Option(key="B", text="b"))
    with pytest.raises(InvalidExamDefinition, match="no options"):
        Question(
            id="n",
            stem="s",
            options=options,
            key=NumericAnswer(value=1),
        )


@pytest.mark.parametrize("response", ["3.14", True, None, [3.14], math.nan, math.inf, -math.inf])
def test_refuses_all_but_finite_numbers(response: object) -> None:
    with pytest.raises(InvalidResponse):
        numeric(3.14).accept_response(response)  # type: ignore[arg-type]


def test_integers_and_floats_are_numbers() -> None:
    assert numeric(3).accept_response(3) == 3
    assert numeric(3).mark(3.0).right


def test_the_tolerance_edge_counts_as_written() -> None:
    # In binary floats 3.15 - 3.14 is 0.010000000000000231: it would miss by a hair.
    question = numeric(3.14, 0.01)
    assert question.mark(3.15).right
    assert question.mark(3.13).right
    assert not question.mark(3.1500001).right
    assert not question.mark(3.1299999).right


def test_exact_without_tolerance() -> None:
    assert numeric(0.3).mark(0.3).right
    assert not numeric(0.3).mark(0.30000000000000004).right


def test_relative_tolerance_is_a_share_of_the_value() -> None:
    question = numeric(-200, 0.05, relative=True)  # within 10
    assert question.mark(-190).right
    assert question.mark(-210).right
    assert not question.mark(-189.99).right


def test_relative_tolerance_of_zero_admits_zero_alone() -> None:
    question = numeric(0, 0.5, relative=True)
    assert question.mark(0).right
    assert question.mark(-0.0).right
    assert not question.mark(1e-300).right


@given(
    value=st.decimals(min_value=-1000, max_value=1000, places=3),
    tolerance=st.decimals(min_value=0, max_value=10, places=3),
    offset=st.decimals(min_value=-20, max_value=20, places=3),
)
def test_within_tolerance_exactly_when_the_written_difference_is(
    value: object, tolerance: object, offset: object
) -> None:
    from decimal import Decimal

    v, t, o = Decimal(str(value)), Decimal(str(tolerance)), Decimal(str(offset))
    question = numeric(float(v), float(t))
    assert question.mark(float(v + o)).right == (abs(o) <= t)
