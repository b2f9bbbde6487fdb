"""A candidate's flags on an attempt's questions, written on their own."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class AttemptFlags(Protocol):
    """Sets and clears one flag at a time, atomically, only while the attempt is in progress.

    A flag write touches the flags alone: never the version, the answers or the audit
    trail, so it cannot conflict with an answer save. Writes join the current transaction.
    """

    async def set_flag(
        self, attempt_id: UUID, question_id: str, *, flagged: bool
    ) -> tuple[str, ...] | None:
        """The attempt's flags after flagging (or unflagging) `question_id`, or None when
        the attempt is not in progress (any more): then nothing changed. Idempotent."""
        ...
