"""Attempts for the Redis adapter tests, started at real time (keys expire at absolute times)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from domain.adaptive import AdaptiveState
from domain.adaptive.exam_engine import attempt_seed, engine_for
from domain.attempt import Attempt, LiveAttempt
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters, Option, Question
from infrastructure.redis.keys import RedisKeys

NETWORK_GRACE = timedelta(seconds=2)
MARGIN = timedelta(minutes=5)


def make_exam(
    *,
    mode: ExamMode = ExamMode.FIXED,
    grace: timedelta = timedelta(seconds=30),
    closes_at: datetime | None = None,
) -> Exam:
    questions = tuple(
        Question(
            id=f"q{n}",
            stem=f"Question {n}",
            options=(Option(key="a", text="A"), Option(key="b", text="B")),
            correct_key="a",
            irt=IrtParameters(a=1.2, b=0.1 * n, c=0.2),
        )
        for n in range(3)
    )
    return Exam(
        id=uuid4(),
        title="Hot state",
        mode=mode,
        duration=timedelta(minutes=45),
        questions=questions,
        grace=grace,
        closes_at=closes_at,
        adaptive=AdaptiveRules(max_items=3) if mode is ExamMode.ADAPTIVE else None,
    )


def now() -> datetime:
    """Real time: stored keys expire at absolute times derived from it."""
    return datetime.now(UTC)


def start(
    exam: Exam | None = None,
    *,
    time_multiplier: float = 1.0,
    extra_time: timedelta = timedelta(0),
    at: datetime | None = None,
) -> Attempt:
    return Attempt.start(
        attempt_id=uuid4(),
        exam=exam or make_exam(),
        candidate_id="candidate-0042",
        now=at or now(),
        time_multiplier=time_multiplier,
        extra_time=extra_time,
    )


def engine_state_after(exam: Exam, attempt: Attempt, answers: int) -> AdaptiveState:
    """The attempt's engine state after `answers` responses, right and wrong in turn."""
    engine = engine_for(exam)
    state = engine.start(attempt_seed(attempt.id))
    for n in range(answers):
        index = engine.next_item(state)
        assert index is not None
        state = engine.record(state, index, n % 2 == 0)
    return state


def attempt_key(prefix: str, attempt: Attempt) -> str:
    return RedisKeys(prefix).attempt(attempt.id)


def assert_same_hot_state(restored: LiveAttempt | None, original: LiveAttempt) -> None:
    assert restored is not None
    # The standing alone: nothing read from hot state carries answers that could be scored.
    assert type(restored) is LiveAttempt
    assert restored.id == original.id
    assert restored.exam_id == original.exam_id
    assert restored.candidate_id == original.candidate_id
    assert restored.mode is original.mode
    assert restored.status is original.status
    assert restored.version == original.version
    assert restored.timer == original.timer
    for instant in (restored.timer.started_at, restored.timer.paused_at, restored.timer.closes_at):
        assert instant is None or instant.tzinfo is UTC
    assert restored.result is None
