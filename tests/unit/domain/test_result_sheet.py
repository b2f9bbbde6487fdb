"""A results export's columns: each question marked by its type's own rules, a scorer's
points, a regrade's key, adding up to the score."""

from __future__ import annotations

from fractions import Fraction

from domain.exam import Option, Question
from domain.questions.choice import MultipleChoice, MultipleScoring
from domain.questions.open_ended import Essay
from domain.regrade import Regrade
from domain.result_sheet import question_points
from tests.fakes.builders import make_exam, make_question

MULTIPLE = Question(
    id="m",
    stem="?",
    options=tuple(Option(key=k, text=k) for k in "ABCD"),
    points=0.3,
    key=MultipleChoice(correct_keys=frozenset("ABC"), scoring=MultipleScoring.PARTIAL),
)
ESSAY = Question(id="e", stem="?", points=5.0, key=Essay())
EXAM = make_exam(questions=(make_question("s", correct_key="A"), MULTIPLE, ESSAY))
ANSWERS = {"s": "B", "m": ["A", "B", "D"], "e": "Because."}


def test_each_column_is_marked_by_its_type_and_awaits_a_scorer_where_none_marked() -> None:
    assert question_points(EXAM, ANSWERS) == [0.0, 0.1, None]
    assert question_points(EXAM, {}) == [0.0, 0.0, 0.0]


def test_a_scorers_points_and_a_regrade_show_as_the_score_counts_them() -> None:
    awarded = {"e": Fraction(7, 2)}
    scoring = Regrade(question_id="s", full_credit=True).apply(EXAM)
    columns = question_points(scoring, ANSWERS, awarded=awarded)
    assert columns == [1.0, 0.1, 3.5]
    assert sum(p or 0.0 for p in columns) == scoring.score(ANSWERS, awarded).score
