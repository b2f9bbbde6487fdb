"""What Redis holds for this deployment: memory and keys, summed over a cluster's primaries."""

from __future__ import annotations

from typing import Any, cast

import redis.asyncio
from redis.asyncio.cluster import RedisCluster

from infrastructure.redis.client import is_cluster


async def memory_and_keys(client: redis.asyncio.Redis) -> dict[str, object]:
    """`used_memory_bytes` and `keys`: of the one server, or the sums over every primary
    of a cluster (replicas hold copies of the same keys, so they are not counted)."""
    if not is_cluster(client):
        memory = await client.info("memory")
        return {
            "used_memory_bytes": int(memory.get("used_memory", 0)),
            "keys": int(await client.dbsize()),
        }
    cluster = cast(RedisCluster, client)
    primaries = cluster.get_primaries()
    # One reply per node, keyed by node name: redis-py sums nothing for INFO.
    by_node: dict[str, dict[str, Any]] = await cluster.info("memory", target_nodes=primaries)
    keys = await cluster.dbsize(target_nodes=primaries)
    return {
        "used_memory_bytes": sum(int(memory.get("used_memory", 0)) for memory in by_node.values()),
        "keys": _total(keys),
    }


def _total(reply: object) -> int:
    # DBSIZE's reply over several nodes is a sum in some redis-py versions, a dict of
    # per-node counts in others.
    if isinstance(reply, dict):
        return sum(int(count) for count in reply.values())
    return int(cast(int, reply))
