"""Processes the bench starts: the backing servers and the HTTP services under test."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import psutil

from infrastructure.embedded import EmbeddedServers
from presentation.cli.main import LISTEN_BACKLOG  # as `hourglass serve` listens

ROOT = Path(__file__).resolve().parent.parent
HOURGLASS_FACTORY = "presentation.bootstrap.app:app_from_environment"
HELLO_FACTORY = "bench.hello:create_hello_app"
FLOOR_FACTORY = "bench.morning.floor:create_floor_app"
PEER_FACTORY = "bench.peers.app:create_peer_app"
# Enough for pgbench's 256 clients beside the services' pools.
EMBEDDED_MAX_CONNECTIONS = 400


def process_cpu_seconds(process: psutil.Process) -> float:
    """User + system CPU of one process, to the nanosecond where the kernel allows.

    psutil reads /proc/<pid>/stat, which counts in 10 ms ticks: a ramp of a few
    candidates reads 0.0. Linux gives every process a CPU clock that any process may
    read: glibc's clock_getcpuclockid builds its id as below, and Python offers only the
    thread variant, so the id is built here. It counts the threads that have exited too.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            return time.clock_gettime((~process.pid << 3) | 2)  # CPUCLOCK_SCHED, whole process
    times = process.cpu_times()
    return times.user + times.system


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_command(factory: str, *, server: str, workers: int, port: int) -> list[str]:
    """The ASGI server's command line for an app factory, uvloop everywhere."""
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", "--factory", factory,
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--loop", "uvloop", "--http", "httptools", "--backlog", str(LISTEN_BACKLOG),
            "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--loop", "uvloop", "--backlog", str(LISTEN_BACKLOG),
            "--no-access-log", "--log-level", "warning", factory,
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}")


def py_spy() -> str:
    return str(Path(sys.executable).parent / "py-spy")


@contextlib.contextmanager
def attached_profiler(pid: int, output: Path, seconds: float, rate: int = 200) -> Iterator[None]:
    """py-spy attached to the running process `pid` (and its workers) for `seconds`, while
    the body drives load: the profile shows the steady state of a primed server rather
    than its start and its first sight of every token and attempt. Time in C and Cython
    (asyncpg's protocol, httptools, the socket calls) counts for the Python frame above it."""
    # --subprocesses: granian runs the app in worker processes of its own.
    command = [py_spy(), "record", "--pid", str(pid), "--subprocesses", "--rate", str(rate),
               "--duration", str(max(1, round(seconds))), "--format", "speedscope",
               "--output", str(output), "--nonblocking"]  # fmt: skip
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield
    finally:
        try:
            _, errors = recorder.communicate(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            _, errors = recorder.communicate()
        if recorder.returncode != 0 or not output.exists():
            message = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"py-spy could not profile pid {pid}: {message[0]}")


@dataclass(slots=True)
class ServiceProcess:
    """An HTTP service in its own process group; `stop()` ends the whole group."""

    name: str
    command: list[str]
    environment: dict[str, str]
    port: int
    log_dir: Path
    ready_path: str = "/health/live"
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.name} is not running")
        return self._process.pid

    def start(self, timeout: float = 90.0) -> ServiceProcess:
        log = (self.log_dir / f"{self.name}.log").open("wb")
        self._process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**os.environ, **self.environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        atexit.register(self.stop)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited during start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        path = self.log_dir / f"{self.name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def processes(self) -> list[psutil.Process]:
        if self._process is None:
            return []
        try:
            root = psutil.Process(self._process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def cpu_seconds(self) -> float:
        """User + system CPU of the process tree (the server and its workers)."""
        total = 0.0
        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process_cpu_seconds(process)
        return total

    def rss_bytes(self, *, python_only: bool = True) -> int:
        """Resident memory summed over the tree (Python processes only: not py-spy)."""
        total = 0
        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                if python_only and "python" not in process.name():
                    continue
                total += process.memory_info().rss
        return total

    def worker_count(self) -> int:
        return sum(1 for p in self.processes() if "python" in p.name())

    def stop(self, timeout: float = 15.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # Workers of a supervisor may outlive it for a moment; end the group for sure.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


@dataclass(frozen=True, slots=True)
class Backing:
    database_url: str  # postgresql://…
    redis_url: str
    origin: str  # "embedded" or "given"


@contextlib.contextmanager
def backing_servers(database_url: str | None, redis_url: str | None) -> Iterator[Backing]:
    """The given servers, or embedded PostgreSQL and Valkey in a temporary directory."""
    if database_url and redis_url:
        yield Backing(database_url, redis_url, "given")
        return
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    with tempfile.TemporaryDirectory(prefix="hourglass-bench-") as data_dir:
        servers = EmbeddedServers(Path(data_dir), database_name="hourglass_bench")
        try:
            db_url = database_url or _embedded_postgres(servers)
            yield Backing(db_url, redis_url or servers.start_valkey(), "embedded")
        finally:
            servers.stop()


def _embedded_postgres(servers: EmbeddedServers) -> str:
    """Start embedded PostgreSQL with room for pgbench's clients (one restart)."""
    url = servers.start_postgres()
    statement = f"ALTER SYSTEM SET max_connections = {EMBEDDED_MAX_CONNECTIONS}"
    asyncio.run(_execute(url, statement))
    servers.stop()
    return servers.start_postgres()


async def _execute(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
