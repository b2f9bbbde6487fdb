from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt


class RunningAttempts(Protocol):
    """An exam's attempts in progress, changed together (exam-wide time control).

    The attempts come without their answers or responses: only their standing and timer,
    which is all a change of time touches, and what keeps 10,000 of them cheap.
    """

    async def lock_running(
        self, exam_id: UUID, candidate_ids: Sequence[str] | None
    ) -> list[Attempt]:
        """The exam's attempts in progress (of those candidates, if named), their rows
        locked until the transaction ends."""
        ...

    async def write_timers(self, attempts: Sequence[Attempt]) -> None:
        """Write back the timer columns and version of attempts from `lock_running`, and
        append their pending events, in as few statements as the driver allows."""
        ...
