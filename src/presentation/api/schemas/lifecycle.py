"""Bodies of the admin routes that end or reopen an attempt."""

from __future__ import annotations

from presentation.api.schemas.time_control import Reasoned


class TerminateIn(Reasoned, frozen=True):
    pass
