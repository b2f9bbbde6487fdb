"""The backing servers' versions and settings, for the report's header."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import asyncpg
import redis


@dataclass(slots=True)
class Environment:
    """Facts about the servers, for the report's header."""

    postgres: dict[str, str] = field(default_factory=dict)
    redis_version: str = "?"

    def describe(self) -> str:
        """PostgreSQL's version and the settings a write's cost depends on, then Redis's."""
        pg = self.postgres
        return (
            f"PostgreSQL {pg.get('server_version', '?')} (synchronous_commit"
            f" {pg.get('synchronous_commit', '?')}, fsync {pg.get('fsync', '?')}, wal_sync_method"
            f" {pg.get('wal_sync_method', '?')}, shared_buffers {pg.get('shared_buffers', '?')},"
            f" max_connections {pg.get('max_connections', '?')}); {self.redis_version}"
        )


def describe_servers(database_url: str, redis_url: str) -> Environment:
    postgres = asyncio.run(_postgres_settings(database_url))
    client = redis.Redis.from_url(redis_url)
    try:
        info = client.info("server")
        name = "Valkey" if "valkey_version" in info else "Redis"
        version = info.get("valkey_version") or info.get("redis_version")
        return Environment(postgres=postgres, redis_version=f"{name} {version}")
    finally:
        client.close()


async def _postgres_settings(url: str) -> dict[str, str]:
    connection = await asyncpg.connect(url)
    try:
        names = ("server_version", "synchronous_commit", "fsync", "max_connections",
                 "shared_buffers", "wal_sync_method")  # fmt: skip
        return {name: str(await connection.fetchval(f"SHOW {name}")) for name in names}
    finally:
        await connection.close()
