"""Server-wide timing settings that the exam rules take as input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class TimingPolicy:
    """`network_grace`: how long after the deadline an answer sent just before it is accepted."""

    network_grace: timedelta = timedelta(seconds=2)
