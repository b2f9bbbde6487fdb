"""Key names. Every key of one attempt shares the hash tag `{<attempt tag>}`.

Redis Cluster hashes only the part between the first `{` and the next `}`, so the
attempt's hot state and adaptive state land on one slot and a script or transaction may
touch them together. (Submission needs no Redis lock: the attempt's row lock decides.)

The tag is the attempt id's 16 bytes in unpadded URL-safe base64: 22 characters instead
of the 36 of the UUID text, and never a brace. Per-attempt keys are the bulk of Redis
memory, and a key's bytes are paid once per attempt (see docs/benchmarks.md).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from uuid import UUID


def attempt_tag(attempt_id: UUID) -> str:
    """The attempt's hash tag content: 22 characters of base64url, no padding."""
    return base64.urlsafe_b64encode(attempt_id.bytes)[:22].decode("ascii")


def attempt_of_tag(tag: str | bytes) -> UUID:
    """The attempt id a tag names (ValueError if it names none)."""
    text = tag.decode("ascii") if isinstance(tag, bytes) else tag
    if len(text) != 22:
        raise ValueError(f"not an attempt tag: {text!r}")
    return UUID(bytes=base64.urlsafe_b64decode(text + "=="))


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Builds this deployment's key names under `prefix` (settings.redis_key_prefix)."""

    prefix: str

    def __post_init__(self) -> None:
        # A brace in the prefix would become the hash tag and put every key on one slot.
        if not self.prefix or "{" in self.prefix or "}" in self.prefix:
            raise ValueError(f"invalid Redis key prefix {self.prefix!r}")

    def attempt(self, attempt_id: UUID) -> str:
        """Hot state of an attempt in progress: timer, owner, exam and version."""
        return f"{self.prefix}:a:{{{attempt_tag(attempt_id)}}}"

    def adaptive(self, attempt_id: UUID) -> str:
        """Adaptive-testing (CAT) engine state of an attempt."""
        return f"{self.prefix}:cat:{{{attempt_tag(attempt_id)}}}"

    def deadlines(self, group: int) -> str:
        """The base name of one group of the deadline index: the group's sorted sets are
        `<base>:0`, `<base>:1`, … and `<base>:n` counts them. The group is the hash tag, so
        one group lives on one slot and a script may use all its keys."""
        return f"{self.prefix}:deadlines:{{{group}}}"

    def live_channel(self) -> str:
        """Pub/sub channel of live attempt updates, for every API process."""
        return f"{self.prefix}:live"

    def write_rate(self, candidate_id: str) -> str:
        """A candidate's write-rate state. The tag is a 16-byte digest of the id, so any
        id (braces, any length) makes a short key that a cluster hashes by candidate."""
        digest = hashlib.blake2b(candidate_id.encode(), digest_size=16).digest()
        return f"{self.prefix}:w:{{{base64.urlsafe_b64encode(digest)[:22].decode('ascii')}}}"

    def sweeper(self) -> str:
        """The latest sweeper pass and running totals."""
        return f"{self.prefix}:sweeper"
