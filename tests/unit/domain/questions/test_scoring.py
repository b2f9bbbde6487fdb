"""Exact totals: fractional points, pending points, what a result shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.exam import Exam, ExamMode, Option, Question
from domain.questions import Essay, MultipleChoice, MultipleScoring, NumericAnswer, exact_points
from domain.questions.base import Marking
from domain.questions.scoring import QuestionMark, exact_sum, shown

OPTIONS = tuple(Option(key=k, text=k) for k in "ABC")


def exam(*questions: Question) -> Exam:
    return Exam(
        id=uuid4(), title="t", mode=ExamMode.FIXED, duration=timedelta(minutes=5),
        questions=questions,
    )  # fmt: skip


def test_tenths_add_up_exactly() -> None:
    questions = [
        Question(id=f"n{i}", stem="s", key=NumericAnswer(value=1), points=0.1) for i in range(3)
    ]
    score = exam(*questions).score({q.id: 1 for q in questions})
    assert score.score == 0.3  # a float sum gives 0.30000000000000004
    assert score.max_score == 0.3


def test_thirds_total_to_whole_points() -> None:
    key = MultipleChoice(correct_keys=frozenset("ABC"), scoring=MultipleScoring.PARTIAL)
    questions = [Question(id=f"m{i}", stem="s", options=OPTIONS, key=key) for i in range(3)]
    sheet = exam(*questions).scoresheet({q.id: ["A"] for q in questions})
    assert sheet.score == 1
    assert shown(Fraction(2, 3)) == Decimal("0.666667")


def test_essays_are_pending_until_awarded() -> None:
    essay = Question(id="e", stem="s", key=Essay(), points=2.5)
    single = Question(id="q", stem="s", options=OPTIONS, correct_key="A")
    graded = exam(essay, single)
    pending = graded.score({"e": "text", "q": "A"})
    assert (pending.score, pending.pending_points, pending.scored) == (1, 2.5, False)
    awarded = graded.score({"e": "text", "q": "A"}, {"e": Fraction(3, 2)})
    assert (awarded.score, awarded.pending_points, awarded.scored) == (2.5, 0, True)
    unanswered = graded.score({"q": "A"})
    assert (unanswered.pending_points, unanswered.scored) == (0, True)


@given(st.lists(st.decimals(min_value="0.01", max_value="100", places=2), min_size=1, max_size=30))
def test_the_total_is_the_decimal_sum(points: list[Decimal]) -> None:
    questions = [
        Question(id=f"n{i}", stem="s", key=NumericAnswer(value=0), points=float(p))
        for i, p in enumerate(points)
    ]
    score = exam(*questions).score({q.id: 0 for q in questions})
    assert Decimal(repr(score.score)) == sum(points)
    assert exact_points(0.1) == Fraction(1, 10)


@given(
    st.lists(st.fractions(min_value=0, max_value=1000, max_denominator=12), min_size=0, max_size=40)
)
def test_the_exact_sum_is_the_sum_of_the_fractions(values: list[Fraction]) -> None:
    assert exact_sum(values) == sum(values, Fraction(0))


@given(
    st.sampled_from([Fraction(0), Fraction(1), Fraction(1, 3), Fraction(2, 3), None]),
    st.fractions(min_value=Fraction(1, 100), max_value=100, max_denominator=100),
)
def test_a_mark_is_its_share_of_the_points(share: Fraction | None, points: Fraction) -> None:
    mark = QuestionMark.of("q", Marking(share=share), points)
    assert mark.points == (None if share is None else share * points)
    assert mark.max_points == points


def test_a_question_keeps_its_points_exact_through_a_replace() -> None:
    question = Question(id="q", stem="s", options=OPTIONS, correct_key="A", points=0.1)
    assert question.max_points == Fraction(1, 10)
    assert replace(question, points=2.5).max_points == Fraction(5, 2)
    assert replace(question, points=2.5) == Question(
        id="q", stem="s", options=OPTIONS, correct_key="A", points=2.5
    )
