"""Each question type's correct answer as a `full` review shows it, and each type's
points in a review, marked by the type's own rules."""

from __future__ import annotations

from fractions import Fraction

from domain.exam import Option, Question
from domain.questions.choice import MultipleChoice, MultipleScoring
from domain.questions.numeric import NumericAnswer
from domain.questions.open_ended import Essay, External
from domain.questions.text import TextAnswer
from domain.review import question_points
from domain.review_answer import correct_answer

OPTIONS = tuple(Option(key=k, text=k.lower()) for k in "DCBA")  # the author's order
MULTIPLE = Question(
    id="m",
    stem="?",
    options=OPTIONS,
    points=0.3,
    key=MultipleChoice(correct_keys=frozenset("ABC"), scoring=MultipleScoring.PARTIAL),
)
TEXT = Question(id="t", stem="?", key=TextAnswer(accepted=("Paris",), pattern="par[iy]s"))


def test_single_choice_shows_its_key() -> None:
    assert correct_answer(Question(id="s", stem="?", options=OPTIONS, correct_key="B")) == "B"


def test_multiple_choice_shows_its_keys_in_the_authors_order() -> None:
    assert correct_answer(MULTIPLE) == ["C", "B", "A"]


def test_numeric_shows_value_and_tolerance() -> None:
    question = Question(id="n", stem="?", key=NumericAnswer(value=343, tolerance=0.05,
                                                             relative=True))  # fmt: skip
    assert correct_answer(question) == {"value": 343, "tolerance": 0.05, "relative": True}


def test_text_shows_accepted_answers_and_the_pattern() -> None:
    assert correct_answer(TEXT) == {
        "accepted": ["Paris"],
        "case_sensitive": False,
        "pattern": "par[iy]s",
    }
    plain = Question(id="t", stem="?", key=TextAnswer(accepted=("a", "b"), case_sensitive=True))
    assert correct_answer(plain) == {"accepted": ["a", "b"], "case_sensitive": True}


def test_essay_and_external_have_no_answer_the_service_knows() -> None:
    assert correct_answer(Question(id="e", stem="?", key=Essay())) is None
    assert correct_answer(Question(id="x", stem="?", key=External())) is None


def test_points_follow_the_types_marking_exactly() -> None:
    # Two right, one wrong of three: a third of 0.3, which floats would make 0.09999...
    assert question_points(MULTIPLE, ["A", "B", "D"]) == 0.1
    assert question_points(MULTIPLE, ["A", "B", "C"]) == 0.3
    assert question_points(MULTIPLE, None) == 0.0
    assert question_points(TEXT, " PARYS ") == 1.0
    assert question_points(TEXT, "Lyon") == 0.0


def test_an_unscored_answer_is_pending_until_a_scorer_gives_points() -> None:
    essay = Question(id="e", stem="?", points=5, key=Essay())
    assert question_points(essay, "My essay.") is None
    assert question_points(essay, "My essay.", {"e": Fraction(7, 2)}) == 3.5
    assert question_points(essay, None) == 0.0  # unanswered: nothing, no one waits
