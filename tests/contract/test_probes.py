"""Probe: a named check that answers True while its service answers, and False (never an
error, never a long wait) when it does not."""

from __future__ import annotations

import time

import pytest

from application.ports import Probe
from infrastructure.postgres.probe import PostgresProbe
from infrastructure.redis import RedisProbe
from tests.fakes import FakeProbe

SIDES = [
    "fake",
    pytest.param("redis", marks=pytest.mark.integration),
    pytest.param("postgres", marks=pytest.mark.integration),
]
# Each real probe gives up after a second; readiness must not hang on a dead service.
PATIENCE_SECONDS = 2.0


@pytest.fixture(params=SIDES)
def answering(request: pytest.FixtureRequest) -> Probe:
    if request.param == "fake":
        return FakeProbe("fake")
    if request.param == "redis":
        return RedisProbe(request.getfixturevalue("redis_client"))
    return PostgresProbe(request.getfixturevalue("postgres_engine"))


@pytest.fixture(params=SIDES)
def silent(request: pytest.FixtureRequest) -> Probe:
    if request.param == "fake":
        return FakeProbe("fake", answers=False)
    if request.param == "redis":
        return RedisProbe(request.getfixturevalue("unreachable_redis"))
    return PostgresProbe(request.getfixturevalue("unreachable_postgres"))


def test_a_probe_is_named(answering: Probe) -> None:
    assert isinstance(answering.name, str)
    assert answering.name.strip()


async def test_an_answering_service_is_ready_every_time(answering: Probe) -> None:
    assert [await answering.ping() for _ in range(3)] == [True, True, True]


async def test_a_silent_service_is_not_ready_and_says_so_in_time(silent: Probe) -> None:
    started = time.monotonic()
    assert await silent.ping() is False
    assert await silent.ping() is False
    assert time.monotonic() - started < 2 * PATIENCE_SECONDS
