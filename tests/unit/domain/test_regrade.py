"""A regrade changes how an exam is scored, never the exam itself."""

from __future__ import annotations

import pytest

from domain.errors import InvalidExamDefinition, UnknownQuestion
from domain.exam import Option, Question
from domain.questions import MultipleChoice, MultipleScoring
from domain.questions.numeric import NumericAnswer
from domain.regrade import Regrade, regraded
from tests.fakes.builders import make_exam, make_question


def test_a_fixed_single_key_scores_the_new_key_right_and_leaves_the_exam_as_it_was() -> None:
    exam = make_exam(questions=(make_question("q1", correct_key="A"), make_question("q2")))
    fixed = Regrade(question_id="q1", correct_keys=frozenset({"B"})).apply(exam)
    assert fixed.score({"q1": "B", "q2": "A"}).score == 2.0
    assert fixed.score({"q1": "A", "q2": "A"}).score == 1.0
    assert exam.question("q1").correct_key == "A"
    assert exam.score({"q1": "A"}).score == 1.0


def test_full_credit_gives_every_answer_its_points_but_not_the_unanswered() -> None:
    exam = make_exam(questions=(make_question("q1", points=2.0), make_question("q2")))
    fixed = Regrade(question_id="q1", full_credit=True).apply(exam)
    assert fixed.score({"q1": "D"}).score == 2.0
    assert fixed.score({"q2": "A"}).score == 1.0
    assert fixed.question("q1").type == exam.question("q1").type


def test_a_multiple_choice_key_keeps_its_partial_scoring() -> None:
    question = Question(
        id="m", stem="Which?", options=tuple(Option(key=k, text=k) for k in "ABCD"),
        key=MultipleChoice(correct_keys=frozenset({"A"}), scoring=MultipleScoring.PARTIAL),
    )  # fmt: skip
    exam = make_exam(questions=(question,))
    fixed = Regrade(question_id="m", correct_keys=frozenset({"A", "B"})).apply(exam)
    assert fixed.score({"m": ["A", "B"]}).score == 1.0
    assert fixed.score({"m": ["A"]}).score == 0.5


def test_regrades_apply_in_the_order_posted() -> None:
    exam = make_exam(questions=(make_question("q1"),))
    later = regraded(exam, [
        Regrade(question_id="q1", correct_keys=frozenset({"B"})),
        Regrade(question_id="q1", correct_keys=frozenset({"C"})),
    ])  # fmt: skip
    assert later.score({"q1": "C"}).score == 1.0
    assert later.score({"q1": "B"}).score == 0.0


@pytest.mark.parametrize(
    ("regrade", "refusal"),
    [
        (Regrade(question_id="q1", correct_keys=frozenset({"Z"})), InvalidExamDefinition),
        (Regrade(question_id="q1", correct_keys=frozenset({"A", "B"})), InvalidExamDefinition),
        (Regrade(question_id="nope", full_credit=True), UnknownQuestion),
    ],
)
def test_a_key_that_does_not_fit_the_question_is_refused(
    regrade: Regrade, refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        regrade.apply(make_exam(questions=(make_question("q1"),)))


def test_a_regrade_is_either_keys_or_full_credit() -> None:
    with pytest.raises(InvalidExamDefinition):
        Regrade(question_id="q1")
    with pytest.raises(InvalidExamDefinition):
        Regrade(question_id="q1", correct_keys=frozenset({"A"}), full_credit=True)


def test_a_numeric_question_takes_full_credit_only() -> None:
    question = Question(id="n", stem="2+2?", key=NumericAnswer(value=4))
    exam = make_exam(questions=(question,))
    with pytest.raises(InvalidExamDefinition):
        Regrade(question_id="n", correct_keys=frozenset({"5"})).apply(exam)
    assert Regrade(question_id="n", full_credit=True).apply(exam).score({"n": 5}).score == 1.0


def test_a_key_posted_after_full_credit_replaces_it() -> None:
    exam = make_exam(questions=(make_question("q1"),))
    later = regraded(exam, [
        Regrade(question_id="q1", full_credit=True),
        Regrade(question_id="q1", correct_keys=frozenset({"B"})),
    ])  # fmt: skip
    assert later.score({"q1": "A"}).score == 0.0
    assert later.score({"q1": "B"}).score == 1.0
