"""Accommodation: extra time a candidate is entitled to, checked when it is made."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.accommodation import Accommodation
from domain.errors import InvalidAccommodation

MIN = timedelta(minutes=1)


def test_defaults_to_standard_time() -> None:
    accommodation = Accommodation(reason="none needed")
    assert (accommodation.time_multiplier, accommodation.extra_time) == (1.0, timedelta(0))


def test_keeps_multiplier_and_extra_time() -> None:
    accommodation = Accommodation(reason="dyslexia", time_multiplier=1.5, extra_time=10 * MIN)
    assert (accommodation.time_multiplier, accommodation.extra_time) == (1.5, 10 * MIN)


@pytest.mark.parametrize(
    ("multiplier", "extra", "reason", "message"),
    [
        (0.99, timedelta(0), "x", "time_multiplier"),
        (0.0, timedelta(0), "x", "time_multiplier"),
        (float("nan"), timedelta(0), "x", "time_multiplier"),
        (float("inf"), timedelta(0), "x", "time_multiplier"),
        (1.0, -timedelta(seconds=1), "x", "extra_seconds"),
        (10.01, timedelta(0), "x", "time_multiplier"),
        (150.0, timedelta(0), "x", "time_multiplier"),
        (1.0, timedelta(days=7, seconds=1), "x", "extra_seconds"),
        (1.0, timedelta(0), "", "reason"),
        (1.0, timedelta(0), "  \t", "reason"),
    ],
)
def test_refuses_less_time_or_no_reason(
    multiplier: float, extra: timedelta, reason: str, message: str
) -> None:
    with pytest.raises(InvalidAccommodation, match=message):
        Accommodation(reason=reason, time_multiplier=multiplier, extra_time=extra)


def test_the_bounds_themselves_are_allowed() -> None:
    accommodation = Accommodation(reason="x", time_multiplier=10.0, extra_time=timedelta(days=7))
    assert accommodation.time_multiplier == 10.0


def test_is_an_immutable_value() -> None:
    accommodation = Accommodation(reason="x", time_multiplier=2.0)
    assert accommodation == Accommodation(reason="x", time_multiplier=2.0)
    with pytest.raises(AttributeError):
        accommodation.time_multiplier = 3.0  # type: ignore[misc]
