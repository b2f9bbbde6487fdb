from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.attempt import LiveAttempt


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardRow:
    """One attempt as a proctor follows it: its standing and how many questions it has
    answered (never the answers)."""

    attempt: LiveAttempt
    answered: int


class ExamBoard(Protocol):
    """Every attempt of an exam at a glance, for its live stream."""

    async def of_exam(self, exam_id: UUID) -> list[BoardRow]:
        """The exam's attempts, oldest start first, with their answered counts."""
        ...
