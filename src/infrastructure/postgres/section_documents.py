"""Sections ↔ JSON documents: an exam's (`exams.sections`) and an attempt's run of them
(`attempts.sections`). Durations in seconds, times in ISO 8601, as the other columns."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.sections import Navigation, Section, SectionProgress, SectionRun, SectionStatus


def exam_sections_document(sections: tuple[Section, ...]) -> list[dict[str, Any]] | None:
    if not sections:
        return None
    return [
        {
            "id": section.id,
            "title": section.title,
            "duration_seconds": _seconds(section.duration),
            "navigation": section.navigation.value,
            "question_ids": list(section.question_ids),
            "draw_count": section.draw_count,
            "shuffle_questions": section.shuffle_questions,
        }
        for section in sections
    ]


def exam_sections(document: list[dict[str, Any]] | None) -> tuple[Section, ...]:
    return tuple(
        Section(
            id=data["id"],
            title=data.get("title"),
            duration=_span(data.get("duration_seconds")),
            navigation=Navigation(data["navigation"]),
            question_ids=tuple(data["question_ids"]),
            draw_count=data.get("draw_count"),
            shuffle_questions=data.get("shuffle_questions", False),
        )
        for data in document or ()
    )


def progress_document(progress: SectionProgress | None) -> list[dict[str, Any]] | None:
    if progress is None:
        return None
    return [
        {
            "id": run.id,
            "title": run.title,
            "duration_seconds": _seconds(run.duration),
            "navigation": run.navigation.value,
            "question_ids": list(run.question_ids),
            "status": run.status.value,
            "entered_at": _time(run.entered_at),
            "finished_at": _time(run.finished_at),
            "shift_seconds": run.shift.total_seconds(),
            "position": run.position,
        }
        for run in progress.runs
    ]


def to_progress(document: list[dict[str, Any]] | None) -> SectionProgress | None:
    if document is None:
        return None
    return SectionProgress(
        runs=tuple(
            SectionRun(
                id=data["id"],
                title=data.get("title"),
                duration=_span(data.get("duration_seconds")),
                navigation=Navigation(data["navigation"]),
                question_ids=tuple(data["question_ids"]),
                status=SectionStatus(data["status"]),
                entered_at=_parse(data.get("entered_at")),
                finished_at=_parse(data.get("finished_at")),
                shift=timedelta(seconds=data.get("shift_seconds", 0.0)),
                position=data.get("position", 0),
            )
            for data in document
        )
    )


def _seconds(span: timedelta | None) -> float | None:
    return None if span is None else span.total_seconds()


def _span(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=seconds)


def _time(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _parse(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
