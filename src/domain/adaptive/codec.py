"""Binary encoding of an adaptive state for the hot-state store.

Layout, little-endian: version (u8), flags (u8), length n (u16), attempt seed (u64),
theta (f64), se (f64), n item indices (u16, or u32 when flagged wide), then the
responses as a bitset of ceil(n / 8) bytes. A 50-item test takes 135 bytes. Theta and
se keep full precision so a decoded state equals the one that was encoded.
"""

import struct

import numpy as np

from domain.adaptive.errors import InvalidStateError
from domain.adaptive.state import AdaptiveState
from domain.adaptive.stopping import StopReason

_VERSION = 1
_HEADER = struct.Struct("<BBHQdd")
_REASONS: tuple[StopReason | None, ...] = (None, *StopReason)
_REASON_MASK = 0b011
_WIDE_INDICES = 0b100
_NARROW_LIMIT = 2**16


def encode_state(state: AdaptiveState) -> bytes:
    """Serialise ``state``; the cached log posterior is left out."""
    wide = any(index >= _NARROW_LIMIT for index in state.administered)
    flags = _REASONS.index(state.stop_reason) | (_WIDE_INDICES if wide else 0)
    n = len(state.administered)
    header = _HEADER.pack(_VERSION, flags, n, state.attempt_seed, state.theta, state.se)
    indices = np.asarray(state.administered, dtype="<u4" if wide else "<u2").tobytes()
    bits = np.packbits(np.asarray(state.responses, dtype=bool), bitorder="little").tobytes()
    return header + indices + bits


def decode_state(data: bytes) -> AdaptiveState:
    """Rebuild the state written by :func:`encode_state`."""
    if len(data) < _HEADER.size:
        raise InvalidStateError("encoded state is shorter than its header")
    version, flags, n, attempt_seed, theta, se = _HEADER.unpack_from(data)
    reason_code = flags & _REASON_MASK
    if version != _VERSION or flags & ~(_REASON_MASK | _WIDE_INDICES):
        raise InvalidStateError("unknown encoded state version or flags")
    width = 4 if flags & _WIDE_INDICES else 2
    if len(data) != _HEADER.size + n * width + (n + 7) // 8:
        raise InvalidStateError("encoded state has the wrong length")
    offset = _HEADER.size
    indices = np.frombuffer(data, dtype="<u4" if width == 4 else "<u2", count=n, offset=offset)
    packed = np.frombuffer(data, dtype=np.uint8, offset=offset + n * width)
    responses = np.unpackbits(packed, count=n, bitorder="little").astype(bool)
    return AdaptiveState(
        administered=tuple(indices.tolist()),
        responses=tuple(responses.tolist()),
        theta=theta,
        se=se,
        stop_reason=_REASONS[reason_code],
        attempt_seed=attempt_seed,
    )
