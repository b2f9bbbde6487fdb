"""Question types: how each takes a candidate's response and what that response is worth.

Each type is a frozen value object (`AnswerKey`) that checks its own definition, accepts
or refuses a response (`accept`) and marks it (`mark`). `Question.key` holds one.
"""

from domain.questions.base import AnswerKey, JsonValue, Marking, QuestionType
from domain.questions.choice import MultipleChoice, MultipleScoring, SingleChoice
from domain.questions.numeric import NumericAnswer
from domain.questions.open_ended import Essay, External
from domain.questions.scoring import QuestionMark, Scoresheet, exact_points
from domain.questions.text import TextAnswer

__all__ = [
    "AnswerKey",
    "Essay",
    "External",
    "JsonValue",
    "Marking",
    "MultipleChoice",
    "MultipleScoring",
    "NumericAnswer",
    "QuestionMark",
    "QuestionType",
    "Scoresheet",
    "SingleChoice",
    "TextAnswer",
    "exact_points",
]
