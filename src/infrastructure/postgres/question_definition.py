"""A question's type and answer ↔ the `type` and `definition` (JSONB) columns.

Single choice keeps its answer in `correct_key`, as before the types existed, so rows
written then still read as they are; the other types keep theirs in `definition`.
"""

from __future__ import annotations

from typing import Any

from domain.questions import (
    AnswerKey,
    Essay,
    External,
    MultipleChoice,
    MultipleScoring,
    NumericAnswer,
    QuestionType,
    SingleChoice,
    TextAnswer,
)


def definition_columns(key: AnswerKey) -> dict[str, Any]:
    """`type`, `correct_key` (single choice only) and `definition` of a question row."""
    columns: dict[str, Any] = {"type": key.type.value, "correct_key": None, "definition": {}}
    if isinstance(key, SingleChoice):
        columns["correct_key"] = key.correct_key
    elif isinstance(key, MultipleChoice):
        columns["definition"] = {
            "correct_keys": sorted(key.correct_keys),
            "scoring": key.scoring.value,
        }
    elif isinstance(key, NumericAnswer):
        columns["definition"] = {
            "value": key.value,
            "tolerance": key.tolerance,
            "relative": key.relative,
        }
    elif isinstance(key, TextAnswer):
        columns["definition"] = {
            "accepted": list(key.accepted),
            "pattern": key.pattern,
            "case_sensitive": key.case_sensitive,
            "max_length": key.max_length,
        }
    elif isinstance(key, Essay | External):
        columns["definition"] = {"max_length": key.max_length}
    return columns


def answer_key(type_name: str, correct_key: str | None, definition: dict[str, Any]) -> AnswerKey:
    kind = QuestionType(type_name)
    if kind is QuestionType.SINGLE:
        return SingleChoice(correct_key=correct_key or "")
    if kind is QuestionType.MULTIPLE:
        return MultipleChoice(
            correct_keys=frozenset(definition["correct_keys"]),
            scoring=MultipleScoring(definition["scoring"]),
        )
    if kind is QuestionType.NUMERIC:
        return NumericAnswer(**definition)
    if kind is QuestionType.TEXT:
        return TextAnswer(**{**definition, "accepted": tuple(definition["accepted"])})
    if kind is QuestionType.ESSAY:
        return Essay(**definition)
    return External(**definition)
