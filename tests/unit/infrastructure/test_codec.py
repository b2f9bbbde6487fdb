"""The hot-state value: exact round trips in few bytes, and a clear refusal of anything else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.attempt import Attempt, LiveAttempt
from domain.exam import ExamMode
from domain.result import AttemptStatus
from domain.timer import Timer
from infrastructure.redis.codec import CorruptHotState, decode_attempt, encode_attempt
from tests.fakes.clock import T0

SIX_HOURS = timedelta(hours=6)
BENCH_CANDIDATE = "bench-1a2b3c4d-c9999"  # the bench's longest candidate id
MONTH = timedelta(days=30)
SPANS = st.timedeltas(min_value=timedelta(0), max_value=MONTH)


def attempt_with(timer: Timer, *, candidate_id: str = BENCH_CANDIDATE, **fields: object) -> Attempt:
    return Attempt(
        id=uuid4(),
        exam_id=uuid4(),
        candidate_id=candidate_id,
        mode=fields.pop("mode", ExamMode.FIXED),  # type: ignore[arg-type]
        timer=timer,
        **fields,  # type: ignore[arg-type]
    )


def assert_round_trip(attempt: Attempt) -> bytes:
    data = encode_attempt(attempt)
    restored = decode_attempt(attempt.id, data)
    assert type(restored) is LiveAttempt  # no answer sheet to score
    assert (restored.id, restored.exam_id, restored.candidate_id) == (
        attempt.id,
        attempt.exam_id,
        attempt.candidate_id,
    )
    assert (restored.mode, restored.status, restored.version) == (
        attempt.mode,
        AttemptStatus.IN_PROGRESS,
        attempt.version,
    )
    assert restored.timer == attempt.timer
    assert restored.timer.started_at.tzinfo is UTC
    return data


def test_a_typical_attempt_takes_about_fifty_bytes() -> None:
    started = T0 + timedelta(microseconds=123_457)
    timer = Timer(started_at=started, duration=SIX_HOURS, grace=timedelta(seconds=30))
    data = assert_round_trip(attempt_with(timer))
    # "0:", flags, exam id, start (8), duration (3), grace (1), candidate id.
    assert len(data) == 2 + 1 + 16 + 8 + 3 + 1 + len(BENCH_CANDIDATE) == 51
    assert data.startswith(b"0:")


def test_every_timer_field_and_the_adaptive_mode_survive() -> None:
    timer = Timer(
        started_at=T0 + timedelta(microseconds=1),
        duration=timedelta(minutes=45, microseconds=3),
        time_multiplier=1.25,
        extra_time=timedelta(minutes=10),
        extensions=timedelta(seconds=90.5),
        paused_for=timedelta(seconds=12, microseconds=345_678),
        paused_at=T0 + timedelta(minutes=20, microseconds=9),
        closes_at=T0 - timedelta(hours=1, microseconds=5),  # before the start: negative
        grace=timedelta(0),
    )
    attempt = attempt_with(timer, mode=ExamMode.ADAPTIVE, version=1234, candidate_id="Zoë ✓")
    assert_round_trip(attempt)


@given(
    started_at=st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2500, 1, 1), timezones=st.just(UTC)
    ),
    duration=st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=400)),
    spans=st.lists(SPANS, min_size=4, max_size=4),
    multiplier=st.floats(min_value=1, max_value=10),
    closes_in=st.none() | st.timedeltas(min_value=-MONTH, max_value=MONTH),
    paused_after=st.none() | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    version=st.integers(min_value=0, max_value=2**40),
    candidate_id=st.text(min_size=1, max_size=80),
)
def test_any_attempt_in_progress_round_trips(
    started_at: datetime,
    duration: timedelta,
    spans: list[timedelta],
    multiplier: float,
    closes_in: timedelta | None,
    paused_after: timedelta | None,
    version: int,
    candidate_id: str,
) -> None:
    extra_time, extensions, paused_for, grace = spans
    timer = Timer(
        started_at=started_at,
        duration=duration,
        time_multiplier=multiplier,
        extra_time=extra_time,
        extensions=extensions,
        paused_for=paused_for,
        paused_at=None if paused_after is None else started_at + paused_after,
        closes_at=None if closes_in is None else started_at + closes_in,
        grace=grace,
    )
    assert_round_trip(attempt_with(timer, version=version, candidate_id=candidate_id))


def test_a_final_attempt_is_not_encoded() -> None:
    timer = Timer(started_at=T0, duration=SIX_HOURS)
    with pytest.raises(ValueError, match="in progress"):
        encode_attempt(attempt_with(timer, status=AttemptStatus.SUBMITTED))


def _valid() -> bytes:
    return encode_attempt(attempt_with(Timer(started_at=T0, duration=SIX_HOURS)))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b"-1:" + _valid()[2:],
        b"1:",
        b"1:\x80" + _valid()[3:],  # a flag this format does not know
        _valid()[:20],  # cut inside the exam id
        _valid()[:26],  # cut inside the start time
        _valid()[: -len(BENCH_CANDIDATE)],  # no candidate id
        _valid()[: -len(BENCH_CANDIDATE)] + b"\xff\xfe",  # not UTF-8
        b"1:\x00" + bytes(16) + b"\xff" * 12 + b"x",  # a time too long
        b"1:\x00" + bytes(16) + b"\x00\x00\x00x",  # a duration of zero
    ],
    ids=[
        "empty",
        "no-version",
        "negative-version",
        "no-body",
        "unknown-flag",
        "short-exam-id",
        "short-time",
        "no-candidate",
        "bad-utf8",
        "huge-time",
        "zero-duration",
    ],
)
def test_unreadable_bytes_are_corrupt_hot_state(data: bytes) -> None:
    with pytest.raises(CorruptHotState):
        decode_attempt(UUID(int=7), data)
