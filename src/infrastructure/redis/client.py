"""The one place that decides how Hourglass talks to Redis (or Valkey)."""

from __future__ import annotations

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff


def create_redis(url: str, *, timeout_seconds: float) -> redis.asyncio.Redis:
    """An app-scoped client for a `redis://`, `rediss://` or `unix://` URL; close it on shutdown.

    Redis holds only a lossy copy of PostgreSQL, so a slow Redis must fail fast rather
    than hold a request: short connect and read timeouts, and one immediate retry (it
    replaces a pooled connection the server dropped) instead of redis-py's default ten
    with backoff. Responses stay bytes because the hot state is a packed binary record.
    hiredis parses replies when it is installed; redis-py picks it by itself.
    """
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
