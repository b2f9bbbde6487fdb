from __future__ import annotations

from typing import Protocol


class Probe(Protocol):
    """A backing service the readiness check asks whether it answers."""

    name: str

    async def ping(self) -> bool:
        """True if the service answered in time."""
        ...
