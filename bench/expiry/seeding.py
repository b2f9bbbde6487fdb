"""Attempts started and answered through the production use cases, in request scopes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from dishka import AsyncContainer

from application.identity import Actor, Role
from application.use_cases.change_answer import AnswerCommand, ChangeAnswer
from application.use_cases.create_exam import CreateExam, CreateExamCommand
from application.use_cases.start_attempt import StartAttempt, StartAttemptCommand
from domain.exam import ExamMode, Option, Options, Question
from domain.sections import Section
from presentation.bootstrap.units import unit_of_work

OPTIONS = ("A", "B", "C", "D")
QUESTIONS = 10
ADMIN = Actor(user_id="bench-expiry-admin", role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Started:
    attempt_id: UUID
    candidate: Actor
    saved: str | None  # the option saved for q1 before the deadline, if any


def _questions() -> tuple[Question, ...]:
    return tuple(
        Question(
            id=f"q{n}",
            stem=f"Question {n}",
            options=Options(Option(key=key, text=f"Option {key}") for key in OPTIONS),
            correct_key=OPTIONS[n % len(OPTIONS)],
        )
        for n in range(1, QUESTIONS + 1)
    )


CORRECT_Q1 = OPTIONS[1 % len(OPTIONS)]
WRONG_Q1 = OPTIONS[2 % len(OPTIONS)]


# `--sections`: a timed first section holding q1 (where the saves go), then an untimed one.
SECTIONS = (
    Section(
        id="timed", question_ids=("q1", "q2", "q3", "q4", "q5"), duration=timedelta(minutes=30)
    ),
    Section(id="rest", question_ids=tuple(f"q{n}" for n in range(6, QUESTIONS + 1))),
)


async def create_exam(
    container: AsyncContainer,
    *,
    title: str,
    closes_at: datetime | None,
    duration: timedelta,
    sections: tuple[Section, ...] = (),
) -> UUID:
    async with unit_of_work(container) as request:
        create = await request.get(CreateExam)
        exam = await create(
            CreateExamCommand(
                actor=ADMIN,
                title=title,
                mode=ExamMode.FIXED,
                duration=duration,
                questions=_questions(),
                grace=timedelta(0),
                closes_at=closes_at,
                max_attempts=1,
                sections=sections,
            )
        )
    return exam.id


async def start_attempts(
    container: AsyncContainer,
    exam_id: UUID,
    subjects: Sequence[str],
    *,
    save_every: int,
    concurrency: int,
) -> list[Started]:
    """Start one attempt per subject with `concurrency` tasks; every `save_every`-th attempt
    saves an answer to q1 (right on even turns, wrong on odd) right after starting."""
    started: list[Started] = []
    queue = iter(enumerate(subjects))

    async def worker() -> None:
        for index, subject in queue:
            actor = Actor(user_id=subject, role=Role.CANDIDATE)
            async with unit_of_work(container) as request:
                start = await request.get(StartAttempt)
                attempt = (await start(StartAttemptCommand(actor=actor, exam_id=exam_id))).attempt
            saved = None
            if save_every and index % save_every == 0:
                turn = index // save_every
                saved = (
                    CORRECT_Q1 if turn % 2 == 0 else OPTIONS[(OPTIONS.index(CORRECT_Q1) + 1) % 4]
                )
                async with unit_of_work(container) as request:
                    change = await request.get(ChangeAnswer)
                    await change(
                        AnswerCommand(
                            actor=actor, attempt_id=attempt.id, question_id="q1", response=saved
                        )
                    )
            started.append(Started(attempt.id, actor, saved))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return started


async def timed(action: Callable[[], Awaitable[list[Started]]]) -> tuple[list[Started], float]:
    began = time.perf_counter()
    result = await action()
    return result, time.perf_counter() - began


def utcnow() -> datetime:
    return datetime.now(UTC)
