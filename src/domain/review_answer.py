"""The correct answer of a question as a review with the `full` policy shows it.

Each type shows what an author wrote as its answer: single choice its key (as reviews
always showed it), multiple choice its keys in the author's option order, numeric its
value and tolerance, text its accepted answers and pattern. Essay and external questions
have no answer the service knows: a person or the platform scores them, so None.
"""

from __future__ import annotations

from domain.exam import Question
from domain.questions.base import JsonValue
from domain.questions.choice import MultipleChoice, SingleChoice
from domain.questions.numeric import NumericAnswer
from domain.questions.text import TextAnswer


def correct_answer(question: Question) -> JsonValue:
    """What would have earned the question's points, as JSON; None when no rule does."""
    key = question.answer_key
    if isinstance(key, SingleChoice):
        return key.correct_key
    if isinstance(key, MultipleChoice):
        return [option.key for option in question.options if option.key in key.correct_keys]
    if isinstance(key, NumericAnswer):
        return {"value": key.value, "tolerance": key.tolerance, "relative": key.relative}
    if isinstance(key, TextAnswer):
        # The pattern is part of the author's rule: once answers may be shown, so may it.
        text: dict[str, JsonValue] = {
            "accepted": list(key.accepted),
            "case_sensitive": key.case_sensitive,
        }
        if key.pattern is not None:
            text["pattern"] = key.pattern
        return text
    return None
