from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt
from domain.regrade import Regrade

# Changes the locked attempt through the domain, given its exam's regrades (oldest first);
# True to write it back, False to leave it as it is.
FinalDecision = Callable[[Attempt, list[Regrade]], Awaitable[bool]]


class FinalWrites(Protocol):
    """One attempt finalised by itself, outside the unit's transaction: read (with its
    exam's regrades, for scoring), changed by the caller, and written back with its
    pending events and their platform events only if nobody changed it in between;
    otherwise read and decided again. Durable when `finalise` returns."""

    async def finalise(self, attempt_id: UUID, decide: FinalDecision) -> Attempt | None:
        """The attempt as `decide` left it, written back if it said so; None if there is
        no such attempt (`decide` is not called). `decide` may be called again, on a fresh
        copy, when another writer changed the attempt first. What it raises propagates,
        and nothing is written."""
        ...
