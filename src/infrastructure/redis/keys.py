"""Key names. Every key of one attempt shares the hash tag `{<attempt id>}`.

Redis Cluster hashes only the part between the first `{` and the next `}`, so the
attempt's hot state and adaptive state land on one slot and a script or transaction may
touch them together. (Submission needs no Redis lock: the attempt's row lock decides.)
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Builds this deployment's key names under `prefix` (settings.redis_key_prefix)."""

    prefix: str

    def __post_init__(self) -> None:
        # A brace in the prefix would become the hash tag and put every key on one slot.
        if not self.prefix or "{" in self.prefix or "}" in self.prefix:
            raise ValueError(f"invalid Redis key prefix {self.prefix!r}")

    def attempt(self, attempt_id: UUID) -> str:
        """Hot state of an attempt in progress: status, timer and version."""
        return f"{self.prefix}:attempt:{{{attempt_id}}}"

    def adaptive(self, attempt_id: UUID) -> str:
        """Adaptive-testing (CAT) engine state of an attempt."""
        return f"{self.prefix}:cat:{{{attempt_id}}}"

    def deadlines(self, shard: int) -> str:
        """One shard of the deadline index; each shard is its own hash tag (own slot)."""
        return f"{self.prefix}:deadlines:{{{shard}}}"

    def live_channel(self) -> str:
        """Pub/sub channel of live attempt updates, for every API process."""
        return f"{self.prefix}:live"

    def sweeper(self) -> str:
        """The latest sweeper pass and running totals."""
        return f"{self.prefix}:sweeper"
