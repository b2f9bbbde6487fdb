"""The compact bytes of an attempt's hot state.

    <version>:<flags><exam id><started_at><duration><grace>[optional times]<candidate id>

The version leads in ASCII so the put script can compare versions without decoding the
rest. One flags byte says the exam mode and which optional timer fields follow; the exam
id is its 16 bytes; the candidate id, last, is the rest of the value in UTF-8 (so it
needs no length). Only attempts in progress are stored (a final one leaves a tombstone),
so the status is not written; nor are answers, results or correct keys, nor the attempt
id (the key's hash tag). A value decodes to a `LiveAttempt`, which cannot be scored.

Every time is an exact number of microseconds, written as a variable-length integer
(7 bits a byte) whose lowest bit gives the unit: whole seconds, which exam durations,
graces and most extensions are, take one to three bytes. `started_at` counts from the
Unix epoch (8 bytes), `closes_at` and `paused_at` from `started_at`; all are signed
(zigzag). A typical attempt is 31 bytes plus its candidate id (what that costs in Redis
memory per attempt: docs/benchmarks.md, "Memory").
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.exam import ExamMode
from domain.live_attempt import LiveAttempt
from domain.result import AttemptStatus
from domain.timer import ZERO, Timer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_PER_SECOND = 1_000_000
_MULTIPLIER = struct.Struct(">d")

# Flag bits. Explicit values, not enum order: stored values must keep their meaning.
_ADAPTIVE = 0x01
_CLOSES_AT = 0x02
_MULTIPLIED = 0x04
_EXTRA_TIME = 0x08
_EXTENSIONS = 0x10
_PAUSED_FOR = 0x20
_PAUSED_AT = 0x40
_KNOWN = 0x7F


class CorruptHotState(ValueError):
    """Stored bytes that do not decode into a live attempt (damaged, or an older format)."""


def encode_attempt(attempt: LiveAttempt) -> bytes:
    """The hot-state value of an attempt in progress (ValueError for a final one)."""
    if attempt.status is not AttemptStatus.IN_PROGRESS:
        raise ValueError("only attempts in progress are hot")
    timer = attempt.timer
    flags = _ADAPTIVE if attempt.mode is ExamMode.ADAPTIVE else 0
    optional = bytearray()
    if timer.closes_at is not None:
        flags |= _CLOSES_AT
        _put_time(optional, _micros(timer.closes_at - timer.started_at))
    if timer.time_multiplier != 1:
        flags |= _MULTIPLIED
        optional += _MULTIPLIER.pack(timer.time_multiplier)
    for flag, span in (
        (_EXTRA_TIME, timer.extra_time),
        (_EXTENSIONS, timer.extensions),
        (_PAUSED_FOR, timer.paused_for),
    ):
        if span:
            flags |= flag
            _put_time(optional, _micros(span))
    if timer.paused_at is not None:
        flags |= _PAUSED_AT
        _put_time(optional, _micros(timer.paused_at - timer.started_at))
    out = bytearray(b"%d:" % attempt.version)
    out.append(flags)
    out += attempt.exam_id.bytes
    _put_time(out, _micros(timer.started_at - _EPOCH))
    _put_time(out, _micros(timer.duration))
    _put_time(out, _micros(timer.grace))
    out += optional
    out += attempt.candidate_id.encode()
    return bytes(out)


def decode_attempt(attempt_id: UUID, data: bytes) -> LiveAttempt:
    """The attempt's standing, in progress and without a result; CorruptHotState if unreadable."""
    version, sep, body = data.partition(b":")
    if not sep or not version.isdigit():
        raise CorruptHotState("no version prefix")
    try:
        flags = body[0]
        if flags & ~_KNOWN:
            raise CorruptHotState(f"unknown flags {flags:#x}")
        exam_id = UUID(bytes=body[1:17])
        reader = _Reader(body, 17)
        started_at = _EPOCH + reader.span()
        duration, grace = reader.span(), reader.span()
        closes_at = started_at + reader.span() if flags & _CLOSES_AT else None
        multiplier = reader.multiplier() if flags & _MULTIPLIED else 1.0
        extra_time = reader.span() if flags & _EXTRA_TIME else ZERO
        extensions = reader.span() if flags & _EXTENSIONS else ZERO
        paused_for = reader.span() if flags & _PAUSED_FOR else ZERO
        paused_at = started_at + reader.span() if flags & _PAUSED_AT else None
        candidate_id = body[reader.offset :].decode()
        if not candidate_id:
            raise CorruptHotState("no candidate id")
        timer = Timer(
            started_at=started_at,
            duration=duration,
            time_multiplier=multiplier,
            extra_time=extra_time,
            extensions=extensions,
            paused_for=paused_for,
            paused_at=paused_at,
            closes_at=closes_at,
            grace=grace,
        )
        return LiveAttempt(
            id=attempt_id,
            exam_id=exam_id,
            candidate_id=candidate_id,
            mode=ExamMode.ADAPTIVE if flags & _ADAPTIVE else ExamMode.FIXED,
            timer=timer,
            version=int(version),
        )
    except CorruptHotState:
        raise
    except (ValueError, IndexError, struct.error, OverflowError) as error:
        raise CorruptHotState(str(error) or type(error).__name__) from error


def _micros(span: timedelta) -> int:
    return span // _MICROSECOND


def _put_time(out: bytearray, micros: int) -> None:
    """Append a signed number of microseconds: unit bit, then zigzag, then 7 bits a byte."""
    seconds, rest = divmod(micros, _PER_SECOND)
    tagged = seconds << 1 if rest == 0 else micros << 1 | 1
    value = tagged << 1 if tagged >= 0 else (~tagged << 1) | 1
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


class _Reader:
    """Reads the variable-length times of a value from `offset` on."""

    __slots__ = ("data", "offset")

    def __init__(self, data: bytes, offset: int) -> None:
        self.data = data
        self.offset = offset

    def span(self) -> timedelta:
        value, shift = 0, 0
        while True:
            byte = self.data[self.offset]
            self.offset += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
            if shift > 70:
                raise CorruptHotState("time too long")
        tagged = value >> 1 if value & 1 == 0 else ~(value >> 1)
        micros = tagged >> 1 if tagged & 1 else (tagged >> 1) * _PER_SECOND
        return _MICROSECOND * micros

    def multiplier(self) -> float:
        (value,) = _MULTIPLIER.unpack_from(self.data, self.offset)
        self.offset += _MULTIPLIER.size
        return float(value)
