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
    """One attempt finalised in a transaction of its own: read under its row lock (with
    its exam's regrades, for scoring), changed by the caller, written back with its
    pending events and their platform events, committed."""

    async def finalise(self, attempt_id: UUID, decide: FinalDecision) -> Attempt | None:
        """The attempt as `decide` left it, committed if it said so; None if there is no
        such attempt (`decide` is not called). What `decide` raises rolls the transaction
        back (the row lock is released at once) and propagates."""
        ...
