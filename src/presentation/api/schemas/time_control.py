"""Bodies of the admin routes that change an attempt's time, and accommodations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from presentation.api.limits import InputLimits, Violation, too_long
from presentation.api.schemas.fields import WEEK_SECONDS, AwareDatetime, NonEmptyText


class Reasoned(Struct, frozen=True):
    """A change to an attempt's time, with the reason the audit trail keeps."""

    reason: NonEmptyText

    def over_limits(self, limits: InputLimits) -> Iterator[Violation]:
        yield from too_long("reason", self.reason, limits.reason_length)


class ExtensionIn(Reasoned, frozen=True):
    # Negative takes time away; zero is refused by the use case (a no-op is a mistake).
    seconds: Annotated[float, Meta(ge=-WEEK_SECONDS, le=WEEK_SECONDS)]


class PauseIn(Reasoned, frozen=True):
    pass


class AccommodationIn(Reasoned, frozen=True):
    time_multiplier: Annotated[float, Meta(ge=1, le=10)] = 1.0
    extra_seconds: Annotated[float, Meta(ge=0, le=WEEK_SECONDS)] = 0.0
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    extra_attempts: Annotated[int, Meta(ge=0, le=100)] = 0


class AccommodationOut(Struct, frozen=True, omit_defaults=True):
    candidate_id: str
    time_multiplier: float
    extra_seconds: float
    reason: str
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    extra_attempts: int = 0
