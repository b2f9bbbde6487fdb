from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class UpdateKind(StrEnum):
    DEADLINE_CHANGED = "deadline_changed"
    STATUS = "status"
    # The running section changed (finished by the candidate or its clock, or moved on).
    SECTION_CHANGED = "section_changed"
    # Not a change of one attempt: this process's subscription was (re)established after
    # a gap, or some process failed to publish, so updates may have been missed. Every
    # local watcher hears it (with its own attempt's id, or a nil id for a watcher of
    # every attempt) and re-reads at once instead of at its next heartbeat.
    RESYNC = "resync"


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptUpdate:
    """Something a live client of the attempt should hear about at once."""

    attempt_id: UUID
    kind: UpdateKind
    reason: str


class LiveUpdates(Protocol):
    """Fan-out of attempt updates to every API process (Redis pub/sub)."""

    async def publish(self, update: AttemptUpdate) -> None:
        """Tell every process; a lost message is tolerated (watchers also re-check)."""
        ...

    async def publish_all(self, updates: Sequence[AttemptUpdate]) -> None:
        """`publish` for a batch, in one round trip."""
        ...

    def watch(self, attempt_id: UUID) -> AbstractAsyncContextManager[AsyncIterator[AttemptUpdate]]:
        """Updates of one attempt while the context is open."""
        ...

    def watch_every(self) -> AbstractAsyncContextManager[AsyncIterator[AttemptUpdate]]:
        """Updates of every attempt while the context is open (an exam's stream picks
        its own); a watcher that falls behind loses some and re-reads on its own."""
        ...
