"""One suite for every AdaptiveStateStore: the in-memory fake and the Redis adapter.

The unit tests of the adaptive use cases run on the fake; this suite keeps it honest
about what the Redis adapter does (versions, final attempts, forgetting, outages).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from application.ports import AdaptiveStateStore
from domain.adaptive import AdaptiveState
from domain.attempt import Attempt
from domain.exam import ExamMode
from infrastructure.redis import create_redis
from infrastructure.redis.adaptive_state import RedisAdaptiveStateStore
from infrastructure.redis.guard import RedisGuard
from tests.backend import Backend
from tests.fakes.adaptive_state import InMemoryAdaptiveStateStore
from tests.integration.redis.attempts import NETWORK_GRACE, engine_state_after, make_exam, start

EXAM = make_exam(mode=ExamMode.ADAPTIVE)
ADAPTERS = ["in-memory fake", pytest.param("redis", marks=pytest.mark.integration)]


@pytest.fixture(params=ADAPTERS)
def redis_backend(request: pytest.FixtureRequest) -> Backend | None:
    """This run's Redis for the adapter, None for the fake (which needs no server).

    Synchronous: the session's backend fixture starts its own event loop when first used.
    """
    if request.param == "in-memory fake":
        return None
    backend: Backend = request.getfixturevalue("backend")
    return backend


@pytest.fixture
async def adaptive_states(redis_backend: Backend | None) -> AsyncIterator[AdaptiveStateStore]:
    if redis_backend is None:
        yield InMemoryAdaptiveStateStore()
        return
    backend = redis_backend
    client = await backend.redis_client(timeout_seconds=0.5)
    yield RedisAdaptiveStateStore(
        client, prefix=backend.key_prefix, network_grace=NETWORK_GRACE, guard=RedisGuard()
    )
    await client.aclose()


@pytest.fixture(params=ADAPTERS)
async def unreachable(request: pytest.FixtureRequest) -> AsyncIterator[AdaptiveStateStore]:
    """A store whose Redis is down (the fake's `down`, a port nothing listens on)."""
    if request.param == "in-memory fake":
        fake = InMemoryAdaptiveStateStore()
        fake.down = True
        yield fake
        return
    client = create_redis("redis://127.0.0.1:1/0", timeout_seconds=0.2)
    yield RedisAdaptiveStateStore(
        client, prefix=f"dead{uuid4().hex[:6]}", network_grace=NETWORK_GRACE, guard=RedisGuard()
    )
    await client.aclose()


def state_after(attempt: Attempt, answers: int) -> AdaptiveState:
    return engine_state_after(EXAM, attempt, answers)


async def test_an_unknown_attempt_is_a_miss(adaptive_states: AdaptiveStateStore) -> None:
    assert await adaptive_states.get(uuid4()) is None


async def test_a_state_reads_back_equal(adaptive_states: AdaptiveStateStore) -> None:
    attempt = start(EXAM)
    state = state_after(attempt, 2)

    await adaptive_states.put(attempt.with_version(2), state)

    read = await adaptive_states.get(attempt.id)
    assert read == state
    assert read is not None
    assert (read.theta, read.se, read.stop_reason) == (state.theta, state.se, state.stop_reason)


async def test_a_lower_version_never_replaces_a_higher_one(
    adaptive_states: AdaptiveStateStore,
) -> None:
    attempt = start(EXAM)
    newer, older = state_after(attempt, 2), state_after(attempt, 1)

    await adaptive_states.put(attempt.with_version(5), newer)
    await adaptive_states.put(attempt.with_version(4), older)
    assert await adaptive_states.get(attempt.id) == newer

    await adaptive_states.put(attempt.with_version(5), older)  # same version: the later put wins
    assert await adaptive_states.get(attempt.id) == older
    await adaptive_states.put(attempt.with_version(6), newer)
    assert await adaptive_states.get(attempt.id) == newer


async def test_forget_drops_only_that_attempt(adaptive_states: AdaptiveStateStore) -> None:
    kept, forgotten = start(EXAM), start(EXAM)
    await adaptive_states.put(kept, state_after(kept, 1))
    await adaptive_states.put(forgotten, state_after(forgotten, 1))

    await adaptive_states.forget(forgotten.id)

    assert await adaptive_states.get(forgotten.id) is None
    assert await adaptive_states.get(kept.id) == state_after(kept, 1)


async def test_a_final_attempt_leaves_no_state(adaptive_states: AdaptiveStateStore) -> None:
    attempt = start(EXAM)
    await adaptive_states.put(attempt, state_after(attempt, 1))

    attempt.submit(EXAM, attempt.timer.started_at)
    await adaptive_states.put(attempt, state_after(attempt, 1))

    assert await adaptive_states.get(attempt.id) is None


async def test_an_outage_is_a_miss_and_a_no_op(unreachable: AdaptiveStateStore) -> None:
    attempt = start(EXAM)

    await unreachable.put(attempt, state_after(attempt, 1))
    assert await unreachable.get(attempt.id) is None
    await unreachable.forget(attempt.id)
