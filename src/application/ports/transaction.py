from __future__ import annotations

from typing import Protocol


class Transaction(Protocol):
    """The request's unit of work in the durable store. Nothing is durable until `commit`."""

    async def commit(self) -> None:
        """Make every write of this unit durable; raises if the store refused it."""
        ...

    async def rollback(self) -> None:
        """Drop every uncommitted write of this unit (and release its row locks)."""
        ...

    async def end_reads(self) -> None:
        """End what this unit has read so far, having written nothing through it: its
        snapshot and pooled connection go back now instead of when the unit ends (a write
        that ran on its own, like the answer write, leaves the unit only reads)."""
        ...
