"""Exam definitions: every validation, the window, attempt limits, questions and scoring."""

from __future__ import annotations

import gc
import random
from datetime import datetime, timedelta

import pytest

from domain.errors import (
    ExamNotOpen,
    InvalidExamDefinition,
    InvalidOption,
    MaxAttemptsReached,
    UnknownQuestion,
)
from domain.exam import AdaptiveRules, ExamMode, IrtParameters, Option, Options, Question
from tests.fakes.builders import make_adaptive_exam, make_exam, make_question, make_questions
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
NAN = float("nan")


class TestOption:
    def test_needs_a_key(self) -> None:
        with pytest.raises(InvalidExamDefinition):
            Option(key="", text="empty")

    def test_text_may_be_anything(self) -> None:
        assert Option(key="A", text="").key == "A"


class TestOptions:
    OPTIONS = (Option(key="A", text="one"), Option(key="B", text="two"), Option(key="C", text=""))

    def test_read_back_as_given(self) -> None:
        options = Options(self.OPTIONS)
        assert tuple(options) == self.OPTIONS
        assert options == self.OPTIONS
        assert options[1] == Option(key="B", text="two")
        assert options[-1] == self.OPTIONS[-1]
        assert options[1:] == self.OPTIONS[1:]
        assert list(options.pairs()) == [("A", "one"), ("B", "two"), ("C", "")]
        assert options == Options.of("ABC", ["one", "two", ""])
        assert hash(options) == hash(Options.of("ABC", ["one", "two", ""]))
        assert options != Options.of("ABC", ["one", "two", "three"])
        assert options != self.OPTIONS[:2]

    def test_every_key_is_checked_without_an_option_object(self) -> None:
        with pytest.raises(InvalidExamDefinition):
            Options.of(["A", ""], ["one", "two"])
        with pytest.raises(InvalidExamDefinition):
            Options.of(["A", "B"], ["one"])

    def test_a_question_keeps_any_sequence_of_options_as_options(self) -> None:
        question = Question(id="q", stem="?", options=self.OPTIONS, correct_key="B")  # type: ignore[arg-type]
        assert isinstance(question.options, Options)
        assert question.options == self.OPTIONS
        assert question.option_keys == frozenset("ABC")

    def test_a_large_questions_options_leave_the_collectors_view(self) -> None:
        # Issue 14: the largest exam has 100,000 options; an object per option made a
        # single collection hold the event loop for 30 ms and more.
        keys = [f"k{n}" for n in range(50)]
        texts = ["".join(random.choices("abc", k=8)) for _ in keys]
        question = Question(id="q", stem="?", options=Options.of(keys, texts), correct_key="k0")
        gc.collect()
        assert gc.is_tracked(question.options)  # one object of the collector's per question
        assert not gc.is_tracked(question.options.keys)
        assert not gc.is_tracked(question.options.texts)


class TestIrtParameters:
    def test_guessing_defaults_to_zero(self) -> None:
        assert IrtParameters(a=1.2, b=-0.5).c == 0.0

    @pytest.mark.parametrize(
        ("a", "b", "c"),
        [
            (0.0, 0.0, 0.0),
            (-1.0, 0.0, 0.0),
            (NAN, 0.0, 0.0),
            (1.0, NAN, 0.0),
            (1.0, float("inf"), 0.0),
            (1.0, 0.0, -0.1),
            (1.0, 0.0, 1.0),
            (1.0, 0.0, NAN),
        ],
    )
    def test_refuses_impossible_parameters(self, a: float, b: float, c: float) -> None:
        with pytest.raises(InvalidExamDefinition):
            IrtParameters(a=a, b=b, c=c)


class TestQuestion:
    def test_a_valid_question(self) -> None:
        question = make_question("q9", keys=("A", "B"), correct_key="B", points=2.5)
        assert (question.id, question.correct_key, question.points) == ("q9", "B", 2.5)

    @pytest.mark.parametrize(
        "overrides",
        [
            {"question_id": ""},
            {"keys": ("A",)},
            {"keys": ("A", "A", "B")},
            {"correct_key": "E"},
            {"points": 0.0},
            {"points": -1.0},
            {"points": NAN},
        ],
        ids=["no id", "one option", "duplicate keys", "foreign key", "zero", "negative", "nan"],
    )
    def test_refuses_an_invalid_question(self, overrides: dict[str, object]) -> None:
        with pytest.raises(InvalidExamDefinition):
            make_question(**overrides)  # type: ignore[arg-type]

    def test_require_option_accepts_its_keys_only(self) -> None:
        question = make_question(keys=("A", "B"))
        question.require_option("B")
        with pytest.raises(InvalidOption, match="'C'"):
            question.require_option("C")


class TestAdaptiveRules:
    def test_defaults(self) -> None:
        rules = AdaptiveRules(max_items=10)
        assert (rules.min_items, rules.se_target, rules.exposure_k) == (1, 0.3, 1)

    @pytest.mark.parametrize(
        "fields",
        [
            {"max_items": 0},
            {"max_items": 5, "min_items": 0},
            {"max_items": 5, "min_items": 6},
            {"max_items": 5, "se_target": 0.0},
            {"max_items": 5, "se_target": NAN},
            {"max_items": 5, "exposure_k": 0},
        ],
    )
    def test_refuses_impossible_settings(self, fields: dict[str, float]) -> None:
        with pytest.raises(InvalidExamDefinition):
            AdaptiveRules(**fields)  # type: ignore[arg-type]


class TestExamValidation:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"title": "  "}, "title"),
            ({"duration": timedelta(0)}, "duration"),
            ({"grace": -timedelta(seconds=1)}, "grace"),
            ({"opens_at": T0, "closes_at": T0}, "before closes_at"),
            ({"opens_at": T0 + MIN, "closes_at": T0}, "before closes_at"),
            ({"opens_at": datetime(2030, 1, 1)}, "timezone-aware"),
            ({"closes_at": datetime(2030, 1, 1)}, "timezone-aware"),
            ({"max_attempts": 0}, "max_attempts"),
            ({"questions": ()}, "at least one question"),
            ({"questions": (make_question("q1"), make_question("q1"))}, "unique"),
        ],
    )
    def test_refuses_an_invalid_exam(self, overrides: dict[str, object], message: str) -> None:
        with pytest.raises(InvalidExamDefinition, match=message):
            make_exam(**overrides)  # type: ignore[arg-type]

    def test_adaptive_needs_settings(self) -> None:
        with pytest.raises(InvalidExamDefinition, match="adaptive settings"):
            make_exam(mode=ExamMode.ADAPTIVE, questions=make_questions(3, irt=True))

    def test_adaptive_needs_irt_on_every_question(self) -> None:
        questions = (*make_questions(2, irt=True), make_question("plain"))
        with pytest.raises(InvalidExamDefinition, match="irt"):
            make_exam(
                mode=ExamMode.ADAPTIVE,
                questions=questions,
                adaptive=AdaptiveRules(max_items=2),
            )

    def test_adaptive_max_items_cannot_exceed_the_bank(self) -> None:
        with pytest.raises(InvalidExamDefinition, match="item bank"):
            make_adaptive_exam(items=3, max_items=4)

    def test_adaptive_max_items_may_equal_the_bank(self) -> None:
        assert make_adaptive_exam(items=3, max_items=3).mode is ExamMode.ADAPTIVE

    def test_a_fixed_exam_needs_no_irt(self) -> None:
        assert make_exam().adaptive is None


class TestWindowAndLimits:
    def test_an_exam_without_window_is_always_open(self) -> None:
        make_exam().ensure_open(T0 - 1000 * MIN)

    def test_open_from_opens_at_until_before_closes_at(self) -> None:
        exam = make_exam(opens_at=T0, closes_at=T0 + 60 * MIN)
        exam.ensure_open(T0)
        exam.ensure_open(T0 + 59 * MIN)
        for moment in (T0 - MIN, T0 + 60 * MIN):
            with pytest.raises(ExamNotOpen):
                exam.ensure_open(moment)

    def test_attempts_allowed_below_the_limit(self) -> None:
        make_exam(max_attempts=2).ensure_attempt_allowed(1)

    @pytest.mark.parametrize("started", [2, 3])
    def test_attempts_refused_at_the_limit(self, started: int) -> None:
        with pytest.raises(MaxAttemptsReached) as raised:
            make_exam(max_attempts=2).ensure_attempt_allowed(started)
        assert raised.value.max_attempts == 2


class TestQuestionsAndScore:
    exam = make_exam(
        questions=(
            make_question("q1", correct_key="A", points=1),
            make_question("q2", correct_key="B", points=2),
            make_question("q3", correct_key="C", points=3.5),
        )
    )

    def test_finds_a_question_by_id(self) -> None:
        assert self.exam.question("q2").correct_key == "B"

    def test_an_unknown_question_is_refused(self) -> None:
        with pytest.raises(UnknownQuestion, match="'q4'"):
            self.exam.question("q4")

    def test_max_score_sums_the_points(self) -> None:
        assert self.exam.max_score == 6.5

    def test_scores_correct_answers_by_their_points(self) -> None:
        score = self.exam.score({"q1": "A", "q2": "C", "q3": "C"})
        assert (score.score, score.max_score, score.answered, score.correct) == (4.5, 6.5, 3, 2)

    def test_an_empty_sheet_scores_zero(self) -> None:
        score = self.exam.score({})
        assert (score.score, score.answered, score.correct) == (0, 0, 0)

    def test_answers_to_unknown_questions_count_for_nothing(self) -> None:
        score = self.exam.score({"q1": "A", "elsewhere": "A"})
        assert (score.score, score.answered, score.correct) == (1, 1, 1)
