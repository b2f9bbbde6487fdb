"""Exams and their questions, as an admin defines them."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import overload
from uuid import UUID

from domain.adaptive_options import (
    AbilityPrior,
    Estimator,
    ExposureRule,
    IrtModel,
    check_against_items,
    frozen_shares,
)
from domain.adaptive_pretest_classification import ClassificationRule, PretestRule
from domain.errors import (
    ExamNotOpen,
    InvalidExamDefinition,
    InvalidOption,
    InvalidResponse,
    MaxAttemptsReached,
    UnknownQuestion,
)
from domain.questions import (
    AnswerKey,
    JsonValue,
    MultipleChoice,
    QuestionMark,
    QuestionType,
    Scoresheet,
    SingleChoice,
    exact_points,
)
from domain.questions.scoring import exact_sum, shown
from domain.result import Score
from domain.review_policy import ReviewPolicy
from domain.sections import Section, check_sections


class ExamMode(StrEnum):
    FIXED = "fixed"
    ADAPTIVE = "adaptive"


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    key: str
    text: str

    def __post_init__(self) -> None:
        _check_option_key(self.key)


def _check_option_key(key: str) -> None:
    if not key:
        raise InvalidExamDefinition("an option needs a non-empty key")


class Options(Sequence[Option]):
    """A question's options, kept as a tuple of keys and a tuple of texts; an `Option`
    is made when one is read.

    Not an object per option, for the garbage collector: it walks every object of a
    generation it collects, and the largest exam has 100,000 options, which kept in a
    cached exam made single collections of 30 ms and more (issue 14: no request holds
    the event loop for 50 ms). A tuple of strings leaves the collector's view on its
    first pass, so an exam's options cost collections almost nothing once built.
    """

    __slots__ = ("keys", "texts")

    keys: tuple[str, ...]
    texts: tuple[str, ...]

    def __init__(self, options: Iterable[Option] = ()) -> None:
        pairs = [(option.key, option.text) for option in options]
        self.keys = tuple(key for key, _ in pairs)
        self.texts = tuple(text for _, text in pairs)

    @classmethod
    def of(cls, keys: Iterable[str], texts: Iterable[str]) -> Options:
        """The options with these keys and texts, in order, without an `Option` each."""
        options = cls()
        options.keys, options.texts = tuple(keys), tuple(texts)
        if len(options.keys) != len(options.texts):
            raise InvalidExamDefinition("every option needs a key and a text")
        for key in options.keys:
            _check_option_key(key)
        return options

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Each option's key and text, in order."""
        return zip(self.keys, self.texts, strict=True)

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Option]:
        return (Option(key=key, text=text) for key, text in self.pairs())

    @overload
    def __getitem__(self, index: int) -> Option: ...

    @overload
    def __getitem__(self, index: slice) -> Options: ...

    def __getitem__(self, index: int | slice) -> Option | Options:
        if isinstance(index, slice):
            return Options.of(self.keys[index], self.texts[index])
        return Option(key=self.keys[index], text=self.texts[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Options):
            return self.keys == other.keys and self.texts == other.texts
        if isinstance(other, Sequence):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.keys, self.texts))

    def __repr__(self) -> str:
        return f"Options({list(self)!r})"


@dataclass(frozen=True, slots=True, kw_only=True)
class IrtParameters:
    """Three-parameter logistic item parameters: discrimination, difficulty, guessing."""

    a: float
    b: float
    c: float = 0.0
    # The 4PL's upper asymptote: 1 for every 3PL item.
    d: float = 1.0

    def __post_init__(self) -> None:
        if not self.a > 0:
            raise InvalidExamDefinition("IRT discrimination a must be positive")
        if not math.isfinite(self.b):
            raise InvalidExamDefinition("IRT difficulty b must be a finite number")
        if not 0 <= self.c < 1:
            raise InvalidExamDefinition("IRT guessing c must be in [0, 1)")
        if not self.c < self.d <= 1:
            raise InvalidExamDefinition("IRT upper asymptote d must be in (c, 1]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """A question of any type. `key` holds its type's rules and answer; without one it
    is a single-choice question answered by `correct_key` (as every question once was).
    """

    id: str
    stem: str
    # Any iterable of `Option` is taken, and kept as `Options`.
    options: Options = field(default_factory=Options)
    correct_key: str = ""
    points: float = 1.0
    content_area: str | None = None
    irt: IrtParameters | None = None
    key: AnswerKey | None = None
    # `points` as written, exactly: read for every answer of every sheet scored.
    _max_points: Fraction = field(init=False, repr=False, compare=False, default=Fraction(0))

    def __post_init__(self) -> None:
        where = f"question {self.id!r}"
        if not self.id:
            raise InvalidExamDefinition("a question needs a non-empty id")
        key = self.key if self.key is not None else SingleChoice(correct_key=self.correct_key)
        object.__setattr__(self, "key", key)
        if isinstance(key, SingleChoice):
            object.__setattr__(self, "correct_key", key.correct_key)
        if not isinstance(self.options, Options):
            object.__setattr__(self, "options", Options(self.options))
        keys = self.option_keys
        if len(keys) != len(self.options):
            raise InvalidExamDefinition(f"{where} has duplicate option keys")
        if key.uses_options and len(self.options) < 2:
            raise InvalidExamDefinition(f"{where} needs at least two options")
        if not key.uses_options and self.options:
            raise InvalidExamDefinition(f"{where}: a {key.type} question has no options")
        key.check_definition(where, keys)
        if not (self.points > 0 and math.isfinite(self.points)):
            raise InvalidExamDefinition(f"{where}: points must be positive")
        object.__setattr__(self, "_max_points", exact_points(self.points))

    @property
    def answer_key(self) -> AnswerKey:
        assert self.key is not None  # set in __post_init__
        return self.key

    @property
    def type(self) -> QuestionType:
        return self.answer_key.type

    @property
    def max_points(self) -> Fraction:
        return self._max_points

    @property
    def option_keys(self) -> frozenset[str]:
        # Made when asked (a microsecond for 50 keys), not kept: a frozenset per question
        # is an object the garbage collector walks, entry by entry, in every collection
        # of its generation (see `Options`).
        return frozenset(self.options.keys)

    def require_option(self, key: str) -> None:
        if key not in self.options.keys:
            raise InvalidOption(f"{key!r} is not an option of question {self.id!r}")

    def accept_response(self, response: JsonValue) -> JsonValue:
        """The response as stored, or InvalidResponse naming this question and the field."""
        try:
            return self.answer_key.accept(response, self.option_keys)
        except InvalidResponse as refused:
            raise refused.about(self.id) from None

    def mark(self, response: JsonValue) -> QuestionMark:
        marking = self.answer_key.mark(response)
        return QuestionMark.of(self.id, marking, self.max_points)

    def is_right_option(self, option: str) -> bool:
        """A dichotomous item's verdict on one chosen option (the adaptive engine's view)."""
        chosen: JsonValue = [option] if isinstance(self.key, MultipleChoice) else option
        return self.answer_key.mark(chosen).right


@dataclass(frozen=True, slots=True, kw_only=True)
class AdaptiveRules:
    """How an admin wants an adaptive exam to run: test length, SE target, exposure.

    The engine's own settings (`domain.adaptive.EngineSettings`) are derived from these
    and the exam's seed by `domain.adaptive.exam_engine`.
    """

    max_items: int
    min_items: int = 1
    se_target: float = 0.3
    exposure_k: int = 1
    estimator: Estimator = Estimator.EAP
    model: IrtModel = IrtModel.THREE_PL
    content_targets: Mapping[str, float] | None = None
    # Sympson-Hetter; randomesque stays `exposure_k`.
    exposure: ExposureRule | None = None
    # Question ids of which one test gives at most one per group.
    enemies: tuple[tuple[str, ...], ...] = ()
    prior: AbilityPrior = AbilityPrior.STANDARD
    # Unscored items given at seeded positions; not counted by max_items or min_items.
    pretest: PretestRule | None = None
    # A pass/fail test: SPRT stop around a cut score instead of the SE target.
    classification: ClassificationRule | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_targets", frozen_shares(self.content_targets))
        if not 1 <= self.min_items <= self.max_items:
            raise InvalidExamDefinition("adaptive: need 1 <= min_items <= max_items")
        if not self.se_target > 0:
            raise InvalidExamDefinition("adaptive: se_target must be positive")
        if self.exposure_k < 1:
            raise InvalidExamDefinition("adaptive: exposure_k must be at least 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class Exam:
    """An exam definition. Immutable once created, so attempts can rely on it."""

    id: UUID
    title: str
    mode: ExamMode
    duration: timedelta
    questions: tuple[Question, ...]
    grace: timedelta = timedelta(0)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_attempts: int = 1
    adaptive: AdaptiveRules | None = None
    review: ReviewPolicy = ReviewPolicy.SCORE
    shuffle_options: bool = False
    # In order; none means one free, untimed section of every question (domain.sections).
    sections: tuple[Section, ...] = ()
    # Adaptive banks run to thousands of items, looked up on every response.
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    # Summed on first use: every submit of a fixed form is scored out of it.
    _max_points: Fraction | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise InvalidExamDefinition("an exam needs a title")
        if self.duration <= timedelta(0):
            raise InvalidExamDefinition("duration_seconds must be positive")
        if self.grace < timedelta(0):
            raise InvalidExamDefinition("grace_seconds cannot be negative")
        window = (self.opens_at, self.closes_at)
        if any(when is not None and when.tzinfo is None for when in window):
            raise InvalidExamDefinition("opens_at and closes_at must be timezone-aware")
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise InvalidExamDefinition("opens_at must be before closes_at")
        if self.max_attempts < 1:
            raise InvalidExamDefinition("max_attempts must be at least 1")
        if not self.questions:
            raise InvalidExamDefinition("an exam needs at least one question")
        by_id = {question.id: question for question in self.questions}
        if len(by_id) != len(self.questions):
            raise InvalidExamDefinition("question ids must be unique within an exam")
        object.__setattr__(self, "_by_id", by_id)
        if self.mode is ExamMode.ADAPTIVE:
            self._check_adaptive()
            if self.sections:
                raise InvalidExamDefinition("an adaptive exam has no sections")
        check_sections(self.sections, by_id)

    def _check_adaptive(self) -> None:
        if self.adaptive is None:
            raise InvalidExamDefinition("an adaptive exam needs adaptive settings")
        if any(question.irt is None for question in self.questions):
            raise InvalidExamDefinition("every question of an adaptive exam needs irt parameters")
        if not all(question.answer_key.dichotomous for question in self.questions):
            raise InvalidExamDefinition(
                "an adaptive exam takes single and all-or-nothing multiple questions only"
            )
        if self.adaptive.max_items > len(self.questions):
            raise InvalidExamDefinition("adaptive: max_items exceeds the item bank")
        check_against_items(
            model=self.adaptive.model,
            content_targets=self.adaptive.content_targets,
            exposure=self.adaptive.exposure,
            upper_asymptotes={q.id: q.irt.d for q in self.questions if q.irt is not None},
            content_areas=(question.content_area for question in self.questions),
            enemies=self.adaptive.enemies,
        )
        if self.adaptive.pretest is not None:
            self.adaptive.pretest.check_against(self._by_id.keys(), self.adaptive.max_items)

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise UnknownQuestion(f"question {question_id!r} is not part of this exam") from None

    @property
    def pretest_item_ids(self) -> frozenset[str]:
        """Items an adaptive test gives unscored (their responses are kept all the same)."""
        pretest = None if self.adaptive is None else self.adaptive.pretest
        return frozenset() if pretest is None else frozenset(pretest.item_ids)

    def ensure_open(self, now: datetime) -> None:
        if self.opens_at is not None and now < self.opens_at:
            raise ExamNotOpen(f"the exam opens at {self.opens_at.isoformat()}")
        if self.closes_at is not None and now >= self.closes_at:
            raise ExamNotOpen(f"the exam closed at {self.closes_at.isoformat()}")

    def ensure_attempt_allowed(self, attempts_started: int) -> None:
        if attempts_started >= self.max_attempts:
            raise MaxAttemptsReached(self.max_attempts)

    @property
    def max_score(self) -> float:
        return float(shown(self.exact_max_score))

    @property
    def exact_max_score(self) -> Fraction:
        if self._max_points is None:
            total = exact_sum(question.max_points for question in self.questions)
            object.__setattr__(self, "_max_points", total)
            return total
        return self._max_points

    def given(self, among: Collection[str] | None = None) -> tuple[Question, ...]:
        """The questions an attempt was given, in its order: `among` (the attempt's drawn
        and ordered questions when it has sections; ids not in the exam are skipped), or
        every question in the author's order. What scoring, review and export count."""
        if among is None:
            return self.questions
        by_id = self._by_id
        return tuple(by_id[qid] for qid in among if qid in by_id)

    def scoresheet(
        self,
        answers: Mapping[str, JsonValue],
        awarded: Mapping[str, Fraction] | None = None,
        among: Collection[str] | None = None,
    ) -> Scoresheet:
        """Mark an answer sheet exactly; answers to unknown questions count for nothing.

        `awarded` holds the points a scorer gave questions the service does not score.
        A fixed form is scored out of every question; an adaptive test only out of the
        items it administered (each response is also an answer), since no two candidates
        see the same items; its pretest items never count. Unanswered essays and external
        items score nothing and await no one. `among`: the questions an attempt was given
        when its sections drew some (scored out of those alone).
        """
        by_id = self._by_id
        if among is not None:
            by_id = {question.id: question for question in self.given(among)}
        awarded = awarded or {}
        unscored = self.pretest_item_ids
        answered = [by_id[qid] for qid in answers if qid in by_id and qid not in unscored]
        marks = []
        for question in answered:
            mark = question.mark(answers[question.id])
            if mark.points is None and question.id in awarded:
                mark = QuestionMark(question_id=question.id, points=awarded[question.id],
                                    max_points=mark.max_points, right=False)  # fmt: skip
            marks.append(mark)
        adaptive = self.mode is ExamMode.ADAPTIVE
        maximum = exact_sum(q.max_points for q in answered)
        full = self.exact_max_score
        if among is not None:
            full = exact_sum(q.max_points for q in by_id.values())
        return Scoresheet.of(marks, maximum if adaptive else full, answered=len(answered))

    def score(
        self,
        answers: Mapping[str, JsonValue],
        awarded: Mapping[str, Fraction] | None = None,
        among: Collection[str] | None = None,
    ) -> Score:
        sheet = self.scoresheet(answers, awarded, among)
        return Score(
            score=float(shown(sheet.score)),
            max_score=float(shown(sheet.max_score)),
            answered=sheet.answered,
            correct=sheet.correct,
            pending_points=float(shown(sheet.pending_points)),
        )
