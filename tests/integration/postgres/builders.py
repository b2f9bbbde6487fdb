"""Exams and attempts for the PostgreSQL tests, each with fresh ids so tests never collide."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain.attempt import Attempt
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters, Option, Question
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.answer_writes import AsyncpgAnswerWrites
from infrastructure.postgres.attempts import SqlAttempts
from infrastructure.postgres.audit_trail import SqlAuditTrail
from infrastructure.postgres.committed_attempts import AsyncpgCommittedAttempts
from infrastructure.postgres.exam_cache import ExamCache
from infrastructure.postgres.exams import SqlExamRepository
from infrastructure.postgres.final_writes import AsyncpgFinalWrites
from infrastructure.postgres.overdue_attempts import SqlOverdueAttempts
from infrastructure.postgres.sessions import OneSession

NOW = datetime(2031, 5, 6, 9, 30, 15, 123456, tzinfo=UTC)
DURATION = timedelta(minutes=30)
ZERO = timedelta(0)


def question(question_id: str, correct_key: str = "a", **kwargs: Any) -> Question:
    options = (
        Option(key="a", text="Alpha"),
        Option(key="b", text="Beta"),
        Option(key="c", text="Γ"),
    )
    return Question(
        id=question_id,
        stem=f"Stem of {question_id}?",
        options=options,
        correct_key=correct_key,
        **kwargs,
    )


def fixed_exam(**kwargs: Any) -> Exam:
    fields: dict[str, Any] = {
        "id": uuid4(),
        "title": "Algebra I",
        "mode": ExamMode.FIXED,
        "duration": DURATION,
        "grace": timedelta(seconds=30),
        "max_attempts": 3,
        "questions": (
            question("q3", "c", points=3),
            question("q1", "a"),
            question("q2", "b", points=2),
        ),
    }
    return Exam(**(fields | kwargs))


def adaptive_exam() -> Exam:
    items = tuple(
        question(f"i{n}", irt=IrtParameters(a=1.0 + n / 10, b=n - 2.5, c=0.2), content_area=area)
        for n, area in enumerate(["algebra", "geometry", "algebra", "calculus", "geometry"])
    )
    return Exam(
        id=uuid4(),
        title="Adaptive maths",
        mode=ExamMode.ADAPTIVE,
        duration=timedelta(minutes=45, seconds=7.5),
        questions=items,
        grace=ZERO,
        opens_at=datetime(2031, 1, 1, tzinfo=UTC),
        closes_at=datetime(2031, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        max_attempts=1,
        adaptive=AdaptiveRules(max_items=4, min_items=2, se_target=0.35, exposure_k=3),
    )


async def stored_exam(sessions: async_sessionmaker[AsyncSession], exam: Exam | None = None) -> Exam:
    exam = exam or fixed_exam()
    async with sessions() as session:
        await SqlExamRepository(OneSession(session), ExamCache()).add(exam)
        await session.commit()
    return exam


def started(exam: Exam, *, candidate_id: str | None = None, now: datetime = NOW) -> Attempt:
    return Attempt.start(
        attempt_id=uuid4(),
        exam=exam,
        candidate_id=candidate_id or f"cand-{uuid4().hex[:8]}",
        now=now,
    )


@contextmanager
def recorded_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the block runs."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


# Set by the session fixture in conftest.py (the pool lives on the session's event loop).
ANSWER_WRITES: AsyncpgAnswerWrites | None = None
ANSWER_CONNECTIONS: AnswerConnections | None = None


def attempts_in(session: AsyncSession) -> SqlAttempts:
    return SqlAttempts(OneSession(session))


def overdue_in(session: AsyncSession) -> SqlOverdueAttempts:
    return SqlOverdueAttempts(OneSession(session))


def audit_trail_in(session: AsyncSession) -> SqlAuditTrail:
    return SqlAuditTrail(OneSession(session))


def committed_attempts() -> AsyncpgCommittedAttempts:
    """The committed reads as the service builds them, on the answer write's connections."""
    assert ANSWER_CONNECTIONS is not None, "the answer_writes fixture has not run"
    return AsyncpgCommittedAttempts(ANSWER_CONNECTIONS)


def final_writes() -> AsyncpgFinalWrites:
    """The submit's read and write back as the service builds them, on the same connections."""
    assert ANSWER_CONNECTIONS is not None, "the answer_writes fixture has not run"
    return AsyncpgFinalWrites(ANSWER_CONNECTIONS)


def answer_writes() -> AsyncpgAnswerWrites:
    """The answer writes as the service builds them: their own connections, no session."""
    assert ANSWER_WRITES is not None, "the answer_writes fixture has not run"
    return ANSWER_WRITES
