"""The real clock."""

from __future__ import annotations

from datetime import UTC, datetime

from application.ports import Clock


class SystemClock:
    """Wall-clock UTC time of this machine (keep it NTP-synchronised in production)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


_: type[Clock] = SystemClock
