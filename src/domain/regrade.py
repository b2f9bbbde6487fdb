"""A question's key fixed after the exam was written, or every answer given full credit.

The exam stays as its author created it: a regrade is kept beside it and scoring reads
the exam through it (`Regrade.apply`), so attempts scored later see the same key as the
ones rescored when the regrade was posted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain.errors import InvalidExamDefinition
from domain.exam import Exam, Question
from domain.questions import (
    AnswerKey,
    JsonValue,
    Marking,
    MultipleChoice,
    QuestionType,
    SingleChoice,
)
from domain.questions.base import FULL


@dataclass(frozen=True, slots=True, kw_only=True)
class FullCredit(AnswerKey):
    """Every accepted response to the question earns its full points."""

    original: AnswerKey

    @property
    def type(self) -> QuestionType:  # type: ignore[override]
        return self.original.type

    @property
    def uses_options(self) -> bool:  # type: ignore[override]
        return self.original.uses_options

    def check_definition(self, where: str, option_keys: frozenset[str]) -> None:
        self.original.check_definition(where, option_keys)

    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        return self.original.accept(response, option_keys)

    def mark(self, response: JsonValue) -> Marking:
        return FULL

    @property
    def dichotomous(self) -> bool:
        return self.original.dichotomous


@dataclass(frozen=True, slots=True, kw_only=True)
class Regrade:
    """One question's new key (`correct_keys`: one key for single choice) or full credit."""

    question_id: str
    correct_keys: frozenset[str] | None = None
    full_credit: bool = False

    def __post_init__(self) -> None:
        if self.full_credit == (self.correct_keys is not None):
            raise InvalidExamDefinition("a regrade gives either correct key(s) or full credit")

    def apply(self, exam: Exam) -> Exam:
        """The exam as scoring sees it after this regrade; refused if it cannot fit."""
        question = exam.question(self.question_id)
        key = self._new_key(question)
        questions = tuple(replace(q, key=key) if q.id == question.id else q for q in exam.questions)
        return replace(exam, questions=questions)

    def _new_key(self, question: Question) -> AnswerKey:
        where = f"question {question.id!r}"
        current = question.answer_key
        if isinstance(current, FullCredit):
            current = current.original  # a later regrade replaces full credit
        if self.full_credit:
            return FullCredit(original=current)
        keys = self.correct_keys or frozenset()
        if isinstance(current, SingleChoice):
            if len(keys) != 1:
                raise InvalidExamDefinition(f"{where}: single choice takes one correct_key")
            (only,) = keys
            new: AnswerKey = SingleChoice(correct_key=only)
        elif isinstance(current, MultipleChoice):
            new = MultipleChoice(correct_keys=keys, scoring=current.scoring)
        else:
            raise InvalidExamDefinition(
                f"{where}: a {current.type} question is regraded with full_credit only"
            )
        new.check_definition(where, frozenset(question.options.keys))
        return new


def regraded(exam: Exam, regrades: list[Regrade]) -> Exam:
    """The exam with every regrade applied in the order they were posted."""
    for regrade in regrades:
        exam = regrade.apply(exam)
    return exam
