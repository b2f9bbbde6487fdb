"""The compact bytes of an adaptive attempt's engine state.

Layout, little-endian: version (u8), flags (u8), length n (u16), attempt seed (u64),
theta (f64), se (f64), n item indices (u16, or u32 when flagged wide), then the
responses as a bitset of ceil(n / 8) bytes. A 50-item test takes 135 bytes. Theta and
se keep full precision so a decoded state equals the one that was encoded; the cached
log posterior is left out (the engine rebuilds it from the responses).
"""

from __future__ import annotations

import struct

import numpy as np

from domain.adaptive import AdaptiveState, InvalidStateError, StopReason

_VERSION = 1
_HEADER = struct.Struct("<BBHQdd")
# Stop reasons by their code, 0 for none: stored values keep their meaning only while
# StopReason's members keep their order (append new ones). The code's two low bits sit
# in flag bits 0-1 and its third in bit 3, so states written before it existed decode
# as they were.
_REASONS: tuple[StopReason | None, ...] = (None, *StopReason)
_REASON_MASK = 0b011
_WIDE_INDICES = 0b100
_REASON_HIGH = 0b1000
_NARROW_LIMIT = 2**16


class CorruptAdaptiveState(ValueError):
    """Stored bytes that do not decode into an engine state (damaged, or another format)."""


def encode_state(state: AdaptiveState) -> bytes:
    """The stored form of `state`."""
    wide = any(index >= _NARROW_LIMIT for index in state.administered)
    code = _REASONS.index(state.stop_reason)
    flags = (code & _REASON_MASK) | ((code >> 2) * _REASON_HIGH) | (_WIDE_INDICES if wide else 0)
    n = len(state.administered)
    header = _HEADER.pack(_VERSION, flags, n, state.attempt_seed, state.theta, state.se)
    indices = np.asarray(state.administered, dtype="<u4" if wide else "<u2").tobytes()
    bits = np.packbits(np.asarray(state.responses, dtype=bool), bitorder="little").tobytes()
    return header + indices + bits


def decode_state(data: bytes) -> AdaptiveState:
    """The state written by `encode_state`; CorruptAdaptiveState if unreadable."""
    if len(data) < _HEADER.size:
        raise CorruptAdaptiveState("encoded state is shorter than its header")
    version, flags, n, attempt_seed, theta, se = _HEADER.unpack_from(data)
    reason_code = (flags & _REASON_MASK) | (4 if flags & _REASON_HIGH else 0)
    if (
        version != _VERSION
        or flags & ~(_REASON_MASK | _WIDE_INDICES | _REASON_HIGH)
        or reason_code >= len(_REASONS)
    ):
        raise CorruptAdaptiveState("unknown encoded state version or flags")
    width = 4 if flags & _WIDE_INDICES else 2
    if len(data) != _HEADER.size + n * width + (n + 7) // 8:
        raise CorruptAdaptiveState("encoded state has the wrong length")
    offset = _HEADER.size
    indices = np.frombuffer(data, dtype="<u4" if width == 4 else "<u2", count=n, offset=offset)
    packed = np.frombuffer(data, dtype=np.uint8, offset=offset + n * width)
    responses = np.unpackbits(packed, count=n, bitorder="little").astype(bool)
    try:
        return AdaptiveState(
            administered=tuple(indices.tolist()),
            responses=tuple(responses.tolist()),
            theta=theta,
            se=se,
            stop_reason=_REASONS[reason_code],
            attempt_seed=attempt_seed,
        )
    except InvalidStateError as error:  # well-formed bytes of an impossible state
        raise CorruptAdaptiveState(str(error)) from error
