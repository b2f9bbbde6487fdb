"""Bodies of the admin routes that end or reopen an attempt."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from presentation.api.schemas.fields import WEEK_SECONDS
from presentation.api.schemas.time_control import Reasoned


class TerminateIn(Reasoned, frozen=True):
    pass


class ReopenIn(Reasoned, frozen=True):
    seconds: Annotated[float, Meta(gt=0, le=WEEK_SECONDS)]
