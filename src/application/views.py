"""What use cases return to be shown: an attempt as of a moment of the server's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.attempt import Attempt


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptView:
    attempt: Attempt
    server_time: datetime
