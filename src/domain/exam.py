"""Exams and their questions, as an admin defines them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.errors import (
    ExamNotOpen,
    InvalidExamDefinition,
    InvalidOption,
    MaxAttemptsReached,
    UnknownQuestion,
)
from domain.result import Score
from domain.review_policy import ReviewPolicy


class ExamMode(StrEnum):
    FIXED = "fixed"
    ADAPTIVE = "adaptive"


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    key: str
    text: str

    def __post_init__(self) -> None:
        if not self.key:
            raise InvalidExamDefinition("an option needs a non-empty key")


@dataclass(frozen=True, slots=True, kw_only=True)
class IrtParameters:
    """Three-parameter logistic item parameters: discrimination, difficulty, guessing."""

    a: float
    b: float
    c: float = 0.0

    def __post_init__(self) -> None:
        if not self.a > 0:
            raise InvalidExamDefinition("IRT discrimination a must be positive")
        if not math.isfinite(self.b):
            raise InvalidExamDefinition("IRT difficulty b must be a finite number")
        if not 0 <= self.c < 1:
            raise InvalidExamDefinition("IRT guessing c must be in [0, 1)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    id: str
    stem: str
    options: tuple[Option, ...]
    correct_key: str
    points: float = 1.0
    content_area: str | None = None
    irt: IrtParameters | None = None

    def __post_init__(self) -> None:
        where = f"question {self.id!r}"
        if not self.id:
            raise InvalidExamDefinition("a question needs a non-empty id")
        if len(self.options) < 2:
            raise InvalidExamDefinition(f"{where} needs at least two options")
        keys = [option.key for option in self.options]
        if len(set(keys)) != len(keys):
            raise InvalidExamDefinition(f"{where} has duplicate option keys")
        if self.correct_key not in keys:
            raise InvalidExamDefinition(f"{where}: correct_key is not one of its option keys")
        if not self.points > 0:
            raise InvalidExamDefinition(f"{where}: points must be positive")

    def require_option(self, key: str) -> None:
        if all(option.key != key for option in self.options):
            raise InvalidOption(f"{key!r} is not an option of question {self.id!r}")


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

    def __post_init__(self) -> None:
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
    # Adaptive banks run to thousands of items, looked up on every response.
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)

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

    def _check_adaptive(self) -> None:
        if self.adaptive is None:
            raise InvalidExamDefinition("an adaptive exam needs adaptive settings")
        if any(question.irt is None for question in self.questions):
            raise InvalidExamDefinition("every question of an adaptive exam needs irt parameters")
        if self.adaptive.max_items > len(self.questions):
            raise InvalidExamDefinition("adaptive: max_items exceeds the item bank")

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise UnknownQuestion(f"question {question_id!r} is not part of this exam") from None

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
        return sum(question.points for question in self.questions)

    def score(self, answers: Mapping[str, str]) -> Score:
        """Score an answer sheet; answers to unknown questions count for nothing.

        A fixed form is scored out of every question; an adaptive test only out of the
        items it administered (each response is also an answer), since no two candidates
        see the same items.
        """
        by_id = self._by_id
        answered = [by_id[qid] for qid in answers if qid in by_id]
        correct = [
            question for question in answered if question.correct_key == answers[question.id]
        ]
        adaptive = self.mode is ExamMode.ADAPTIVE
        return Score(
            score=sum(question.points for question in correct),
            max_score=sum(q.points for q in answered) if adaptive else self.max_score,
            answered=len(answered),
            correct=len(correct),
        )
