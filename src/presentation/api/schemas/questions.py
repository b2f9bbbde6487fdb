"""A question as a candidate sees it (never a correct key), for fixed and adaptive exams."""

from __future__ import annotations

from msgspec import Struct

from domain.exam import Options, Question
from presentation.api.schemas.question_types import max_length_of


class OptionOut(Struct, frozen=True):
    key: str
    text: str


class QuestionForCandidate(Struct, frozen=True, omit_defaults=True):
    """Never an answer: no correct key(s), numeric value, accepted answers or pattern."""

    id: str
    stem: str
    options: list[OptionOut]
    type: str = "single"
    max_length: int | None = None
    # Exams with sections: the question's section, and whether it takes answers no more
    # (its section finished, or left behind in a sequential section).
    section_id: str | None = None
    locked: bool = False


def options_out(options: Options) -> list[OptionOut]:
    return [OptionOut(key=key, text=text) for key, text in options.pairs()]


def candidate_question(
    question: Question, *, section_id: str | None = None, locked: bool = False
) -> QuestionForCandidate:
    key = question.answer_key
    return QuestionForCandidate(
        id=question.id,
        stem=question.stem,
        options=options_out(question.options),
        type=key.type.value,
        max_length=max_length_of(key),
        section_id=section_id,
        locked=locked,
    )
