"""Bodies of the admin routes that change an attempt's time, and accommodations."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from presentation.api.schemas.fields import WEEK_SECONDS, NonEmpty


class ExtensionIn(Struct, frozen=True):
    seconds: Annotated[float, Meta(gt=0, le=WEEK_SECONDS)]
    reason: NonEmpty


class PauseIn(Struct, frozen=True):
    reason: NonEmpty


class AccommodationIn(Struct, frozen=True):
    reason: NonEmpty
    time_multiplier: Annotated[float, Meta(ge=1, le=10)] = 1.0
    extra_seconds: Annotated[float, Meta(ge=0, le=WEEK_SECONDS)] = 0.0


class AccommodationOut(Struct, frozen=True):
    candidate_id: str
    time_multiplier: float
    extra_seconds: float
    reason: str
