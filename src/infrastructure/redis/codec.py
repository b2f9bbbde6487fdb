"""The compact bytes of an attempt's hot state: `<version>:<msgpack array>`.

The version leads in ASCII so the put script can compare versions without decoding
msgpack. The array carries the status and the timer, never answers, results or correct
keys; the attempt id is the key's hash tag, so it is not repeated. Times are integer
microseconds (exact round trips, small msgpack ints) and trailing default fields are
left off, so a typical attempt is 55-65 bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from domain.attempt import Attempt
from domain.exam import ExamMode
from domain.result import AttemptStatus
from domain.timer import Timer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Explicit codes, not enum order: a new member must not renumber stored payloads.
_MODES = {ExamMode.FIXED: 0, ExamMode.ADAPTIVE: 1}
_STATUSES = {AttemptStatus.IN_PROGRESS: 0, AttemptStatus.SUBMITTED: 1, AttemptStatus.EXPIRED: 2}
_MODE_OF = {code: mode for mode, code in _MODES.items()}
_STATUS_OF = {code: status for status, code in _STATUSES.items()}


class CorruptHotState(ValueError):
    """Stored bytes that do not decode into an attempt (damaged, or an older format)."""


class _Payload(msgspec.Struct, array_like=True, frozen=True):
    # Order matters: fields most often at their default come last, to be left off.
    exam_id: UUID
    candidate_id: str
    started_at: int
    duration: int
    grace: int = 0
    closes_at: int | None = None
    mode: int = 0
    status: int = 0
    time_multiplier: float = 1.0
    extra_time: int = 0
    extensions: int = 0
    paused_for: int = 0
    paused_at: int | None = None


_DEFAULTS = tuple(field.default for field in msgspec.structs.fields(_Payload))
_encoder = msgspec.msgpack.Encoder(uuid_format="bytes")
_decoder = msgspec.msgpack.Decoder(_Payload)


def encode_attempt(attempt: Attempt) -> bytes:
    timer = attempt.timer
    multiplier = timer.time_multiplier
    payload = _Payload(
        exam_id=attempt.exam_id,
        candidate_id=attempt.candidate_id,
        started_at=_micros(timer.started_at),
        duration=_span(timer.duration),
        grace=_span(timer.grace),
        closes_at=None if timer.closes_at is None else _micros(timer.closes_at),
        mode=_MODES[attempt.mode],
        status=_STATUSES[attempt.status],
        # A whole multiplier packs as a one-byte int; it decodes back to the same float.
        time_multiplier=int(multiplier) if multiplier.is_integer() else multiplier,
        extra_time=_span(timer.extra_time),
        extensions=_span(timer.extensions),
        paused_for=_span(timer.paused_for),
        paused_at=None if timer.paused_at is None else _micros(timer.paused_at),
    )
    values = list(msgspec.structs.astuple(payload))
    while values and values[-1] == _DEFAULTS[len(values) - 1]:
        values.pop()
    return b"%d:%b" % (attempt.version, _encoder.encode(values))


def decode_attempt(attempt_id: UUID, data: bytes) -> Attempt:
    """The attempt (empty answers, no result, no pending events); CorruptHotState if unreadable."""
    version, sep, body = data.partition(b":")
    if not sep or not version.isdigit():
        raise CorruptHotState("no version prefix")
    try:
        payload = _decoder.decode(body)
        timer = Timer(
            started_at=_instant(payload.started_at),
            duration=_MICROSECOND * payload.duration,
            time_multiplier=payload.time_multiplier,
            extra_time=_MICROSECOND * payload.extra_time,
            extensions=_MICROSECOND * payload.extensions,
            paused_for=_MICROSECOND * payload.paused_for,
            paused_at=None if payload.paused_at is None else _instant(payload.paused_at),
            closes_at=None if payload.closes_at is None else _instant(payload.closes_at),
            grace=_MICROSECOND * payload.grace,
        )
        return Attempt(
            id=attempt_id,
            exam_id=payload.exam_id,
            candidate_id=payload.candidate_id,
            mode=_MODE_OF[payload.mode],
            timer=timer,
            status=_STATUS_OF[payload.status],
            version=int(version),
        )
    except (msgspec.DecodeError, ValueError, KeyError, OverflowError) as error:
        raise CorruptHotState(str(error)) from error


def _micros(instant: datetime) -> int:
    return (instant - _EPOCH) // _MICROSECOND


def _instant(micros: int) -> datetime:
    return _EPOCH + _MICROSECOND * micros


def _span(span: timedelta) -> int:
    return span // _MICROSECOND
