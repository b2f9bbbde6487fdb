"""At start: the Redis the URL names must be what the configuration says it is."""

from __future__ import annotations

import logging

import redis.asyncio
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisClusterException, RedisError

from infrastructure.redis.client import is_cluster

logger = logging.getLogger(__name__)


class WrongRedisTopology(RuntimeError):
    """HOURGLASS_REDIS_CLUSTER disagrees with the server: a cluster client against a
    single server, or a single-server client against a cluster node (whose MOVED replies
    would otherwise open the breaker and quietly serve everything from PostgreSQL)."""


async def check_topology(client: redis.asyncio.Redis) -> None:
    """Raises WrongRedisTopology on a mismatch. A Redis that does not answer at start is
    not one: the service starts and serves from PostgreSQL until Redis is back, as it
    does when Redis dies later, and the check is not repeated."""
    try:
        if is_cluster(client):
            await _cluster_answers(client)  # type: ignore[arg-type]
            return
        info = await client.info("cluster")
    except (RedisError, OSError) as error:
        logger.warning("redis does not answer at start (%s: %s)", type(error).__name__, error)
        return
    if int(info.get("cluster_enabled", 0)):
        raise WrongRedisTopology(
            "HOURGLASS_REDIS_URL names a Redis Cluster node: set HOURGLASS_REDIS_CLUSTER=true"
        )


async def _cluster_answers(client: RedisCluster) -> None:
    try:
        await client.initialize()
    except RedisClusterException as error:
        if "Cluster mode is not enabled" in str(error):
            raise WrongRedisTopology(
                "HOURGLASS_REDIS_CLUSTER=true but HOURGLASS_REDIS_URL names a server "
                "without cluster mode: unset HOURGLASS_REDIS_CLUSTER or name a cluster node"
            ) from error
        # Every node unreachable: as for a single server that does not answer.
        raise RedisError(str(error)) from error
