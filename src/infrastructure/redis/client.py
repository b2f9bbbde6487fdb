"""The one place that decides how Hourglass talks to Redis (or Valkey)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff


def create_redis(url: str, *, timeout_seconds: float, cluster: bool = False) -> redis.asyncio.Redis:
    """An app-scoped client for a `redis://`, `rediss://` or `unix://` URL; close it on shutdown.

    Redis holds only a lossy copy of PostgreSQL, so a slow Redis must fail fast rather
    than hold a request: short connect and read timeouts, and one immediate retry (it
    replaces a pooled connection the server dropped) instead of redis-py's default ten
    with backoff. Responses stay bytes because the hot state is a packed binary record.
    hiredis parses replies when it is installed; redis-py picks it by itself.

    With `cluster`, the URL names any one node of a Redis or Valkey Cluster and the
    client is a `RedisCluster` that finds the others and routes each command by slot.
    """
    if cluster:
        return create_redis_cluster(url, timeout_seconds=timeout_seconds)
    return redis.asyncio.Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), retries=1),
        # Health checks would add a PING round trip to idle connections; the retry
        # above already covers a connection that died while idle.
        health_check_interval=0,
        decode_responses=False,
    )


def create_redis_cluster(url: str, *, timeout_seconds: float) -> redis.asyncio.Redis:
    """A `RedisCluster` seen as the `Redis` type the adapters are written against.

    Both classes share redis-py's command mixins (GET, SET, scripts, pipelines, pub/sub),
    and the adapters use only those; where a cluster needs another command (SPUBLISH,
    stats summed over primaries, scripts outside pipelines) they ask `is_cluster`. A
    cast rather than a union type through every adapter keeps the single-server code as
    it is. One retry after a connection error or a MOVED storm: redis-py then reloads
    the slot map, which is how it follows a failover; the guard does the rest.
    """
    url, seeds = cluster_seeds(url)
    client = SlotMappedCluster.from_url(
        url,
        startup_nodes=[ClusterNode(host, port) for host, port in seeds],
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), retries=1),
        health_check_interval=0,
        decode_responses=False,
    )
    return cast(redis.asyncio.Redis, client)


def cluster_seeds(url: str) -> tuple[str, list[tuple[str, int]]]:
    """The URL with its first node, and every node it lists: `redis://h1:p1,h2:p2/0`
    names several seeds, so a process still finds the cluster when one of them is down
    at its start (redis-py's own URL form takes one host)."""
    parts = urlsplit(url)
    credentials, _, hosts = parts.netloc.rpartition("@")
    seeds = []
    for host in hosts.split(","):
        name, _, port = host.rpartition(":") if ":" in host else (host, "", "6379")
        seeds.append((name, int(port)))
    first = f"{credentials}@{hosts.split(',')[0]}" if credentials else hosts.split(",")[0]
    return urlunsplit(parts._replace(netloc=first)), seeds


class SlotMappedCluster(RedisCluster):
    """A RedisCluster that has its slot map before it routes a command.

    redis-py 8.1 decides where a command goes before it loads the slot map: the first
    command of a new client, and every command issued while a pipeline's retry has reset
    the map (after a timeout or a failover), goes to an arbitrary node and comes back
    MOVED (redirected, but a wasted round trip and a MOVED in the servers' error stats,
    which the tests require to stay 0 in steady state). Loading the map first is what
    redis-py itself does a few lines later; `_initialize` is its own flag for "no map".
    """

    async def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        if self._initialize:
            await self.initialize()
        return await super().execute_command(*args, **kwargs)


def is_cluster(client: object) -> bool:
    """Whether `client` is a cluster client (see `create_redis_cluster`)."""
    return isinstance(client, RedisCluster)
