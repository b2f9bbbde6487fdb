"""HOURGLASS_REDIS_CLUSTER must match the server: a mismatch stops the start, loudly.

Each backend checks the direction it can: the single-server runs point a cluster client
at a plain server, the cluster run (HOURGLASS_TEST_REDIS_CLUSTER=1) a plain client at a
cluster node. CI runs both."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from infrastructure.redis import create_redis
from infrastructure.redis.topology import WrongRedisTopology, check_topology
from infrastructure.settings import Settings
from presentation.bootstrap.app import create_app
from tests.backend import Backend

pytestmark = pytest.mark.integration


async def test_the_other_client_kind_is_refused(backend: Backend) -> None:
    client = create_redis(backend.redis_url, timeout_seconds=0.5, cluster=not backend.redis_cluster)
    try:
        with pytest.raises(WrongRedisTopology, match="HOURGLASS_REDIS_CLUSTER"):
            await check_topology(client)
    finally:
        await client.aclose()


async def test_the_right_client_kind_passes(backend: Backend) -> None:
    client = create_redis(backend.redis_url, timeout_seconds=0.5, cluster=backend.redis_cluster)
    try:
        await check_topology(client)
        assert await client.ping()
    finally:
        await client.aclose()


@pytest.mark.redis_outage
@pytest.mark.parametrize("cluster", [False, True])
async def test_a_redis_that_does_not_answer_is_no_mismatch(cluster: bool) -> None:
    client = create_redis("redis://127.0.0.1:1/0", timeout_seconds=0.2, cluster=cluster)
    try:
        await check_topology(client)  # starts on PostgreSQL, as after any outage
    finally:
        await client.aclose()


async def test_the_service_does_not_start_on_a_mismatch(backend: Backend) -> None:
    settings = Settings(
        database_url=backend.database_url,
        redis_url=backend.redis_url,
        redis_cluster=not backend.redis_cluster,
        redis_key_prefix=backend.key_prefix,
        jwt_secret="topology-test-secret-that-is-long-enough-for-hs256",
        sweeper_enabled=False,
    )
    app = create_app(settings)
    # Litestar's lifespan runs start-up in a task group: the error arrives in a group.
    with pytest.raises(BaseException) as raised:  # noqa: PT011 (narrowed below)
        async with AsyncTestClient(app=app):
            pass
    assert _holds(raised.value, WrongRedisTopology), raised.value


def _holds(error: BaseException, kind: type[BaseException]) -> bool:
    if isinstance(error, kind):
        return True
    if isinstance(error, BaseExceptionGroup):
        return any(_holds(inner, kind) for inner in error.exceptions)
    return False
