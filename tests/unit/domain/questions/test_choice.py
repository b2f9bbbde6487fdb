"""Single and multiple choice: accepting responses, all-or-nothing and partial credit."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidExamDefinition, InvalidResponse
from domain.exam import Option, Question
from domain.questions import MultipleChoice, MultipleScoring, SingleChoice

KEYS = frozenset("ABCDEF")
OPTIONS = tuple(Option(key=k, text=k) for k in sorted(KEYS))


def multiple(correct: str, scoring: MultipleScoring = MultipleScoring.PARTIAL) -> Question:
    key = MultipleChoice(correct_keys=frozenset(correct), scoring=scoring)
    return Question(id="m", stem="s", options=OPTIONS, key=key, points=3)


class TestSingleChoice:
    def test_a_question_without_a_key_object_is_single_choice(self) -> None:
        question = Question(id="q", stem="s", options=OPTIONS, correct_key="B")
        assert question.answer_key == SingleChoice(correct_key="B")
        assert question.mark("B").points == 1
        assert question.mark("A").points == 0

    def test_a_key_object_sets_correct_key(self) -> None:
        question = Question(id="q", stem="s", options=OPTIONS, key=SingleChoice(correct_key="C"))
        assert question.correct_key == "C"

    @pytest.mark.parametrize("response", [["A"], 1, None, {"k": "A"}, "Z"])
    def test_refuses_anything_but_one_option(self, response: object) -> None:
        question = Question(id="q", stem="s", options=OPTIONS, correct_key="B")
        with pytest.raises(InvalidResponse) as refused:
            question.accept_response(response)  # type: ignore[arg-type]
        assert refused.value.question_id == "q"
        assert refused.value.field == "response"


class TestMultipleChoiceDefinition:
    def test_needs_keys_among_the_options(self) -> None:
        with pytest.raises(InvalidExamDefinition, match="option keys"):
            multiple("AZ")
        with pytest.raises(InvalidExamDefinition, match="at least one"):
            multiple("")

    def test_needs_options(self) -> None:
        key = MultipleChoice(correct_keys=frozenset("A"))
        with pytest.raises(InvalidExamDefinition, match="two options"):
            Question(id="m", stem="s", key=key)

    def test_all_or_nothing_is_dichotomous_and_partial_is_not(self) -> None:
        assert multiple("AB", MultipleScoring.ALL_OR_NOTHING).answer_key.dichotomous
        assert not multiple("AB").answer_key.dichotomous


class TestMultipleChoiceResponses:
    def test_accepts_a_list_of_distinct_options(self) -> None:
        assert multiple("AB").accept_response(["B", "A"]) == ["B", "A"]
        assert multiple("AB").accept_response([]) == []

    @pytest.mark.parametrize(
        ("response", "field"),
        [
            ("A", "response"),
            (["A", 1], "response[1]"),
            (["G"], "response[0]"),
            (["A", "A"], "response"),
        ],
    )
    def test_refuses_the_rest_naming_the_field(self, response: object, field: str) -> None:
        with pytest.raises(InvalidResponse) as refused:
            multiple("AB").accept_response(response)  # type: ignore[arg-type]
        assert refused.value.field == field


class TestMultipleChoiceScoring:
    def test_all_or_nothing(self) -> None:
        question = multiple("AC", MultipleScoring.ALL_OR_NOTHING)
        assert question.mark(["C", "A"]).points == 3
        assert question.mark(["C", "A"]).right
        assert question.mark(["A"]).points == 0
        assert question.mark(["A", "B", "C"]).points == 0

    def test_partial_adds_and_takes_a_share_per_key(self) -> None:
        question = multiple("ABC")  # 3 points, 1 per right key
        assert question.mark(["A"]).points == 1
        assert question.mark(["A", "B", "D"]).points == 1  # 2 right, 1 wrong
        assert question.mark(["A", "D", "E"]).points == 0  # never below nothing
        assert question.mark(["A", "B", "C"]).right
        assert not question.mark(["A", "B"]).right

    def test_partial_thirds_are_exact(self) -> None:
        question = Question(
            id="m",
            stem="s",
            options=OPTIONS,
            key=MultipleChoice(correct_keys=frozenset("ABC"), scoring=MultipleScoring.PARTIAL),
            points=1,
        )
        assert question.mark(["A"]).points == Fraction(1, 3)

    @given(
        correct=st.sets(st.sampled_from(sorted(KEYS)), min_size=1),
        chosen=st.sets(st.sampled_from(sorted(KEYS))),
        points=st.decimals(min_value="0.01", max_value="1000", places=2),
    )
    def test_partial_credit_stays_within_nothing_and_the_points(
        self, correct: set[str], chosen: set[str], points: object
    ) -> None:
        key = MultipleChoice(correct_keys=frozenset(correct), scoring=MultipleScoring.PARTIAL)
        question = Question(id="m", stem="s", options=OPTIONS, key=key, points=float(points))  # type: ignore[arg-type]
        mark = question.mark(sorted(chosen))
        assert mark.points is not None
        assert 0 <= mark.points <= question.max_points
        assert (mark.points == question.max_points) == (chosen == correct)
        expected = max(0, len(chosen & correct) - len(chosen - correct))
        assert mark.points == question.max_points * Fraction(expected, len(correct))
