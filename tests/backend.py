"""Real PostgreSQL and Redis for the integration and API tests.

In order: HOURGLASS_TEST_DATABASE_URL / HOURGLASS_TEST_REDIS_URL when set; testcontainers
when a Docker engine answers; otherwise the embedded servers. Each run gets its own
database and key prefix, and removes both at the end.

HOURGLASS_TEST_REDIS_CLUSTER=1 selects a third Redis backend: a local 3-primary,
3-replica Valkey Cluster started for the run (tests/cluster.py), the service talking to
it with HOURGLASS_REDIS_CLUSTER=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import redis
import redis.asyncio


@dataclass(frozen=True, slots=True)
class Backend:
    database_url: str  # postgresql://… of this run's own database
    redis_url: str
    key_prefix: str  # this run's own Redis key prefix
    origin: str  # "environment", "testcontainers" or "embedded"
    redis_cluster: bool = False  # redis_url names a node of tests.cluster's local cluster

    async def redis_client(self, timeout_seconds: float = 5.0) -> redis.asyncio.Redis:
        """A client for a test's own look at the keys (a cluster client on the cluster
        backend), started as the service starts its own; close it with `aclose` after."""
        from infrastructure.redis import create_redis
        from infrastructure.redis.topology import check_topology

        client = create_redis(
            self.redis_url, timeout_seconds=timeout_seconds, cluster=self.redis_cluster
        )
        await check_topology(client)
        return client


def cluster_selected() -> bool:
    return os.environ.get("HOURGLASS_TEST_REDIS_CLUSTER", "") not in ("", "0")


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(
            ["docker", "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0 and bool(probe.stdout.strip())


@contextlib.contextmanager
def _servers() -> Iterator[tuple[str, str, str]]:
    """(server URL for an admin database, Redis URL, origin)."""
    database_url = os.environ.get("HOURGLASS_TEST_DATABASE_URL")
    redis_url = os.environ.get("HOURGLASS_TEST_REDIS_URL")
    if database_url and redis_url:
        yield database_url, redis_url, "environment"
    elif _docker_answers():
        from testcontainers.postgres import PostgresContainer
        from testcontainers.redis import RedisContainer

        with (
            PostgresContainer("postgres:17-alpine", driver=None) as pg,
            RedisContainer("redis:7-alpine") as rd,
        ):
            host, port = rd.get_container_host_ip(), rd.get_exposed_port(6379)
            yield pg.get_connection_url(), f"redis://{host}:{port}/0", "testcontainers"
    else:
        from infrastructure.embedded import EmbeddedServers

        data_dir = Path(tempfile.mkdtemp(prefix="hourglass-test-"))
        servers = EmbeddedServers(data_dir, database_name="postgres")
        try:
            yield (*servers.start(), "embedded")
        finally:
            servers.stop()
            shutil.rmtree(data_dir, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.contextmanager
def provide_backend() -> Iterator[Backend]:
    from infrastructure.postgres.migrations import upgrade_database

    run = uuid.uuid4().hex[:10]
    database, prefix = f"hourglass_test_{run}", f"hgtest{run}"
    with contextlib.ExitStack() as stack:
        server_url, redis_url, origin = stack.enter_context(_servers())
        cluster = None
        if cluster_selected():
            from tests.cluster import local_cluster

            cluster = stack.enter_context(local_cluster())
            redis_url, origin = cluster.url, f"{origin} + local cluster"
        asyncio.run(_admin(server_url, f'CREATE DATABASE "{database}"'))
        database_url = _with_database(server_url, database)
        try:
            upgrade_database(database_url)
            yield Backend(database_url, redis_url, prefix, origin, redis_cluster=bool(cluster))
        finally:
            if cluster is None:  # the cluster goes away whole
                _remove_keys(redis_url, prefix)
            asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def _remove_keys(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        batch = list(client.scan_iter(match=f"{prefix}*", count=1000))
        while batch:
            client.delete(*batch[:1000])
            batch = batch[1000:]
    finally:
        client.close()
