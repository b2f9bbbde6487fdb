from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The only source of the current time; the domain never reads a clock itself."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...
