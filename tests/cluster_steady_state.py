"""On the cluster backend, every test must run in steady state: no redirection and no
cross-slot error on any node, no Redis error in this process, and no breaker opened,
except in tests that break Redis on purpose (their client points at a closed port)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import redis

from infrastructure.faults import PROCESS_FAULTS
from tests.backend import Backend, cluster_selected

# The servers' own tally (INFO errorstats) of the replies that mean a client sent a
# command to the wrong node or across slots.
_SERVER_ERRORS = ("MOVED", "ASK", "CROSSSLOT", "CLUSTERDOWN", "TRYAGAIN")
# Tests whose Redis is a closed port on purpose: connection errors and an open breaker
# are what they test. Cluster errors still fail them.
_OUTAGE_MODULES = {"test_outage", "test_redis_outage", "test_degradations"}
_OUTAGE_FIXTURES = {"unreachable", "unreachable_redis"}
_CONNECTION_ERRORS = {"ConnectionError", "TimeoutError"}


def _nodes(backend: Backend) -> list[tuple[str, int]]:
    seed = urlsplit(backend.redis_url)
    with redis.Redis(host=seed.hostname or "127.0.0.1", port=seed.port or 6379) as node:
        lines = node.execute_command("CLUSTER", "NODES").decode().splitlines()
    nodes = []
    for line in lines:
        address, flags = line.split()[1], line.split()[2]
        if "fail" in flags or "noaddr" in flags:
            continue
        host, _, port = address.split("@")[0].rpartition(":")
        nodes.append((host, int(port)))
    return nodes


def server_errors(backend: Backend) -> Counter[str]:
    """MOVED, ASK, CROSSSLOT, … replies summed over the cluster's nodes so far."""
    total: Counter[str] = Counter()
    for host, port in _nodes(backend):
        with redis.Redis(host=host, port=port, socket_timeout=2) as node:
            stats = node.info("errorstats")
        for name in _SERVER_ERRORS:
            total[name] += int(stats.get(f"errorstat_{name}", {}).get("count", 0))
    return total


def _breaks_redis_on_purpose(request: pytest.FixtureRequest) -> bool:
    module = request.node.module.__name__.rpartition(".")[2]
    return (
        module in _OUTAGE_MODULES
        or bool(_OUTAGE_FIXTURES & set(request.fixturenames))
        or request.node.get_closest_marker("redis_outage") is not None
    )


@pytest.fixture(autouse=True)
def cluster_steady_state(request: pytest.FixtureRequest) -> Iterator[None]:
    if not cluster_selected() or "backend" not in request.fixturenames:
        yield
        return
    backend: Backend = request.getfixturevalue("backend")
    servers_before = server_errors(backend)
    errors_before = Counter(PROCESS_FAULTS.redis_errors)
    opened_before = PROCESS_FAULTS.redis_breaker_opened
    yield
    redirected = server_errors(backend) - servers_before
    assert not redirected, f"the cluster's nodes replied {dict(redirected)}"
    errors = Counter(PROCESS_FAULTS.redis_errors) - errors_before
    if _breaks_redis_on_purpose(request):
        errors = Counter({name: n for name, n in errors.items() if name not in _CONNECTION_ERRORS})
    else:
        opened = PROCESS_FAULTS.redis_breaker_opened - opened_before
        assert opened == 0, f"the Redis breaker opened {opened} times"
    assert not errors, f"Redis errors in steady state: {dict(errors)}"
