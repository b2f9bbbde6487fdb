from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol
from uuid import UUID

from domain.questions.base import JsonValue
from domain.result import AttemptResult


@dataclass(frozen=True, slots=True, kw_only=True)
class FinalAttempt:
    """A final attempt as a results export needs it: who, the result, the answer sheet."""

    attempt_id: UUID
    candidate_id: str
    result: AttemptResult
    answers: Mapping[str, JsonValue]
    # The questions it was given, in its order, when its exam has sections (None: all).
    given: tuple[str, ...] | None = None
    # A scorer's points for essay and external answers.
    awarded: Mapping[str, Fraction] | None = None


class FinalResults(Protocol):
    """The final attempts of an exam, read for export."""

    def of_exam(self, exam_id: UUID, *, batch_size: int) -> AsyncIterator[Sequence[FinalAttempt]]:
        """Every final attempt of the exam, oldest start first, in batches of at most
        `batch_size`: however many there are, only one batch is held in memory at a time
        (a server-side cursor). The read has its own connection, so it may outlive the
        unit of work that started it (a streamed response does)."""
        ...
