"""Constrained field types shared by the request and response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta

AwareDatetime = Annotated[datetime, Meta(tz=True)]
# Bounds that keep every duration a real timedelta and every deadline on the calendar.
WEEK_SECONDS = 7 * 24 * 3600
DAY_SECONDS = 24 * 3600
NonEmpty = Annotated[str, Meta(min_length=1)]
# Versions are stored as PostgreSQL integers; a larger one could never match anyway.
MAX_VERSION = 2_147_483_647
Version = Annotated[int, Meta(ge=0, le=MAX_VERSION)]
