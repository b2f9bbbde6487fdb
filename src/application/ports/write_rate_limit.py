from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class WriteAdmission:
    """Whether one write may go ahead; if not, how long until the next one would."""

    admitted: bool
    retry_after_seconds: float = 0.0


ADMITTED = WriteAdmission(admitted=True)


class WriteRateLimit(Protocol):
    """How often each candidate may write (start, save, clear, respond, submit).

    A sustained rate with a burst on top of it, shared by every process of a deployment
    as far as the adapter can: it is a guard against runaway clients and floods, not a
    ledger, so an adapter that cannot reach its shared state admits by its own count
    rather than refuse or fail the write.
    """

    async def admit(self, candidate_id: str) -> WriteAdmission:
        """Counts one write by `candidate_id` if it is within the limit."""
        ...
