"""Operator routes: statistics and a sweeper pass on demand."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from msgspec import Struct


class SweepIn(Struct, frozen=True):
    dry_run: bool = False


class SweepOut(Struct, frozen=True):
    expired: int
    attempt_ids: list[UUID]
    dry_run: bool
    max_lag_seconds: float


class StatsOut(Struct, frozen=True):
    active_attempts: int
    redis: dict[str, Any]
    sweeper: dict[str, Any]
