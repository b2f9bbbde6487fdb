"""Text questions: normalisation, accepted answers, patterns, and patterns refused for time."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.exam import Question
from domain.questions import TextAnswer
from domain.questions.text import normalise


def text(**fields: object) -> Question:
    return Question(id="t", stem="s", key=TextAnswer(**fields))  # type: ignore[arg-type]


def test_needs_accepted_answers_or_a_pattern() -> None:
    with pytest.raises(InvalidExamDefinition, match="accepted answers or a pattern"):
        text()
    with pytest.raises(InvalidExamDefinition, match="blank"):
        text(accepted=("  ",))


def test_trimmed_whitespace_folded_case_folded() -> None:
    question = text(accepted=("New  York",))
    assert question.mark("  new york ").right
    assert question.mark("NEW\t\nYORK").right
    assert not question.mark("NewYork").right


def test_case_sensitive_keeps_case() -> None:
    question = text(accepted=("pH",), case_sensitive=True)
    assert question.mark(" pH ").right
    assert not question.mark("PH").right


def test_a_pattern_matches_the_whole_normalised_answer() -> None:
    question = text(pattern=r"colou?r")
    assert question.mark(" COLOR ").right
    assert question.mark("colour").right
    assert not question.mark("colours").right


def test_accepted_or_pattern() -> None:
    question = text(accepted=("Paris",), pattern=r"par[iy]s,? france")
    assert question.mark("paris").right
    assert question.mark("Parys France").right
    assert not question.mark("Lyon").right


def test_max_length_is_enforced_on_the_response() -> None:
    question = text(accepted=("a",), max_length=5)
    assert question.accept_response("abcde") == "abcde"
    with pytest.raises(InvalidResponse, match="at most 5"):
        question.accept_response("abcdef")
    with pytest.raises(InvalidResponse, match="string"):
        question.accept_response(5)


@pytest.mark.parametrize(
    "pattern",
    [
        "(a",  # not a regex
        r"(a+)+$",  # nested quantifiers: exponential backtracking
        r"(a*)*b",
        r"(a|aa)*b",  # alternation under a repetition
        r"(\w+\s?)*$",
        r"(x)\1",  # backreference
        r"(?=a)a",  # lookahead
        r"a*a*a*a*b",  # polynomial: n^4
        "a?" * 30 + "a" * 30,  # exponential in optional parts
        "x" * 1001,
    ],
)
def test_unsafe_or_invalid_patterns_are_refused_at_creation(pattern: str) -> None:
    with pytest.raises(InvalidExamDefinition, match="pattern"):
        text(pattern=pattern)


def test_a_pathological_pattern_cannot_stall_matching() -> None:
    # (a+)+b on "aaaa...c" takes minutes in a backtracking engine; it is refused, and the
    # most costly shape allowed at the longest answer stays well within a second.
    with pytest.raises(InvalidExamDefinition):
        text(pattern=r"(a+)+b", max_length=40)
    question = text(pattern=r"a*a*a?b", max_length=200)
    started = time.perf_counter()
    assert not question.mark("a" * 200).right
    assert time.perf_counter() - started < 0.5


@given(st.text(max_size=50))
def test_normalising_is_idempotent_and_trims(answer: str) -> None:
    once = normalise(answer, case_sensitive=False)
    assert normalise(once, case_sensitive=False) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=20))
def test_an_accepted_answer_matches_itself_padded_and_recased(answer: str) -> None:
    if not answer.strip():
        return
    question = text(accepted=(answer,), max_length=100)
    assert question.mark(f"  {answer.upper()}  ").right == (
        normalise(answer.upper(), case_sensitive=False) == normalise(answer, case_sensitive=False)
    )
