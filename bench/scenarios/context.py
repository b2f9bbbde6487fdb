"""What every scenario shares: the backing servers, the services it starts, wrk, results."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from bench import seed
from bench.collector import GenerationPauses, Pauses, collector_pauses
from bench.config import SERVER, BenchConfig
from bench.loadgen import WrkResult, run_wrk
from bench.report import Results
from bench.scenarios.environment import Environment
from bench.servers import HELLO_FACTORY, Backing, ServiceProcess, free_port, server_command


class BenchContext:
    """One run's servers, secrets and results; scenarios start services and wrk through it."""

    def __init__(self, config: BenchConfig, backing: Backing, key_prefix: str, scratch: Path):
        self.config = config
        self.backing = backing
        self.prefix = key_prefix
        self.scratch = scratch
        self.secret = secrets.token_urlsafe(32)
        self.admin = seed.admin_token(self.secret)
        self.run_id = secrets.token_hex(4)
        self.results = Results()
        self.environment = Environment()
        self._services: list[ServiceProcess] = []

    def _env(self) -> dict[str, str]:
        return {
            "HOURGLASS_DATABASE_URL": self.backing.database_url,
            "HOURGLASS_REDIS_URL": self.backing.redis_url,
            "HOURGLASS_JWT_SECRET": self.secret,
            "HOURGLASS_REDIS_KEY_PREFIX": self.prefix,
            "HOURGLASS_DATABASE_POOL_SIZE": str(self.config.pool_size),
            "HOURGLASS_LOG_LEVEL": "WARNING",
            "HOURGLASS_DATA_DIR": str(self.scratch / "data"),
        }

    @contextlib.contextmanager
    def service(
        self, name: str, factory: str, *, server: str = SERVER, workers: int = 1
    ) -> Iterator[ServiceProcess]:
        port = free_port()
        command = server_command(factory, server=server, workers=workers, port=port)
        ready = "/health/live"
        if factory == HELLO_FACTORY:
            ready = "/hello/00000000-0000-0000-0000-000000000000"
        process = ServiceProcess(name, command, self._env(), port, self.scratch, ready)
        self._services.append(process)
        try:
            yield process.start()
        finally:
            process.stop()
            self._services.remove(process)

    def stop_all(self) -> None:
        for process in list(self._services):
            process.stop()

    def wrk(
        self, target: ServiceProcess, key: str, requests: Path, conns: int, *,
        seconds: float | None = None, once: bool = False, record: bool = True,
        threads: int | None = None,
    ) -> WrkResult:  # fmt: skip
        result = run_wrk(
            target.url,
            requests,
            connections=conns,
            threads=self.config.wrk_threads if threads is None else threads,
            seconds=self.config.run_seconds if seconds is None else seconds,
            once=once,
            server_cpu=target.cpu_seconds,
        )
        if record:
            self.results.wrk[key] = result
        return result

    def unrecorded(
        self, target: ServiceProcess, requests: Path, conns: int, **options: Any
    ) -> Callable[[], WrkResult]:
        """A wrk run to start later, its result returned rather than kept in the table."""
        return partial(self.wrk, target, "", requests, conns, record=False, **options)

    def warm(self, target: ServiceProcess, requests: Path, conns: int) -> None:
        if self.config.warmup_seconds > 0:
            self.wrk(target, "", requests, conns, seconds=self.config.warmup_seconds, record=False)

    def prime(self, target: ServiceProcess, requests: Path, passes: int = 1) -> None:
        """Send every line of `requests` once per pass, unmeasured."""
        lines = sum(1 for _ in requests.open())
        for _ in range(passes):
            self.wrk(target, "", requests, self.config.read_connections,
                     seconds=max(60.0, lines / 200), once=True, record=False)  # fmt: skip

    def note(self, text: str) -> None:
        self.results.notes.append(text)

    def note_pauses(self, run: str, target: ServiceProcess, before: Pauses) -> None:
        """The collections since `before` on `target`, and how many paused it over 10 ms."""
        after = collector_pauses(target.url)
        if not after:
            return
        since = {g: after[g].since(before.get(g, GenerationPauses())) for g in after}
        counts = ", ".join(f"generation {g}: {since[g].collections}" for g in sorted(since))
        long = sum(pauses.over_10_ms for pauses in since.values())
        self.note(f"{run}: garbage collections ({counts}), {long} of them over 10 ms")
