"""Exam rows ↔ domain exams, field by field; durations are stored in seconds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from application.ports import ExamSummary
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters, Options, Question
from domain.review_policy import ReviewPolicy
from infrastructure.postgres.adaptive_options_document import (
    adaptive_options_document,
    adaptive_rules,
)
from infrastructure.postgres.models import ExamRow, QuestionRow
from infrastructure.postgres.question_definition import answer_key, definition_columns
from infrastructure.postgres.section_documents import exam_sections, exam_sections_document


def exam_row(exam: Exam) -> dict[str, Any]:
    adaptive = exam.adaptive
    return {
        "id": exam.id,
        "title": exam.title,
        "mode": exam.mode.value,
        "duration_seconds": exam.duration.total_seconds(),
        "grace_seconds": exam.grace.total_seconds(),
        "opens_at": exam.opens_at,
        "closes_at": exam.closes_at,
        "max_attempts": exam.max_attempts,
        "review": exam.review.value,
        "shuffle_options": exam.shuffle_options,
        "sections": exam_sections_document(exam.sections),
        "adaptive": None
        if adaptive is None
        else {
            "max_items": adaptive.max_items,
            "min_items": adaptive.min_items,
            "se_target": adaptive.se_target,
            "exposure_k": adaptive.exposure_k,
            **adaptive_options_document(adaptive),
        },
    }


def question_row(exam_id: UUID, numbered: tuple[int, Question]) -> dict[str, Any]:
    position, question = numbered
    return {
        "exam_id": exam_id,
        "id": question.id,
        "position": position,
        "stem": question.stem,
        "options": [{"key": key, "text": text} for key, text in question.options.pairs()],
        **definition_columns(question.answer_key),
        "points": question.points,
        "content_area": question.content_area,
        "irt": None if question.irt is None else _irt_document(question.irt),
    }


def _irt_document(irt: IrtParameters) -> dict[str, float]:
    return {"a": irt.a, "b": irt.b, "c": irt.c, "d": irt.d}


def exam_of(row: ExamRow, questions: tuple[Question, ...]) -> Exam:
    """The exam of `row` with its questions mapped already (`to_question`)."""
    return Exam(
        id=row.id,
        title=row.title,
        mode=ExamMode(row.mode),
        duration=timedelta(seconds=row.duration_seconds),
        questions=questions,
        grace=timedelta(seconds=row.grace_seconds),
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        max_attempts=row.max_attempts,
        adaptive=_adaptive(row.adaptive),
        review=ReviewPolicy(row.review),
        shuffle_options=row.shuffle_options,
        sections=exam_sections(row.sections),
    )


def to_summary(row: ExamRow, question_count: int) -> ExamSummary:
    return ExamSummary(
        id=row.id,
        title=row.title,
        mode=ExamMode(row.mode),
        duration=timedelta(seconds=row.duration_seconds),
        grace=timedelta(seconds=row.grace_seconds),
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        max_attempts=row.max_attempts,
        adaptive=_adaptive(row.adaptive),
        question_count=question_count,
        created_at=row.created_at,
    )


def _adaptive(stored: dict[str, Any] | None) -> AdaptiveRules | None:
    return None if stored is None else adaptive_rules(stored)


def to_question(row: QuestionRow) -> Question:
    return Question(
        id=row.id,
        stem=row.stem,
        options=Options.of(
            (option["key"] for option in row.options), (option["text"] for option in row.options)
        ),
        key=answer_key(row.type, row.correct_key, row.definition),
        points=row.points,
        content_area=row.content_area,
        irt=None if row.irt is None else IrtParameters(**row.irt),
    )
