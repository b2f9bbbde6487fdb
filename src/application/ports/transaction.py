from __future__ import annotations

from typing import Protocol


class Transaction(Protocol):
    """The request's unit of work in the durable store. Nothing is durable until `commit`."""

    async def commit(self) -> None:
        """Make every write of this unit durable; raises if the store refused it."""
        ...

    async def rollback(self) -> None:
        """Drop every uncommitted write of this unit."""
        ...
