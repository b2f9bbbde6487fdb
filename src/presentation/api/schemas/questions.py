"""A question as a candidate sees it (never a correct key), for fixed and adaptive exams."""

from __future__ import annotations

from msgspec import Struct

from domain.exam import Option, Question


class OptionOut(Struct, frozen=True):
    key: str
    text: str


class QuestionForCandidate(Struct, frozen=True):
    id: str
    stem: str
    options: list[OptionOut]


def options_out(options: tuple[Option, ...]) -> list[OptionOut]:
    return [OptionOut(key=option.key, text=option.text) for option in options]


def candidate_question(question: Question) -> QuestionForCandidate:
    return QuestionForCandidate(
        id=question.id, stem=question.stem, options=options_out(question.options)
    )
