"""One bench run: servers, seed, every scenario in turn (bench/scenarios), results."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench import baselines, memory, seed
from bench.config import SERVER
from bench.loadgen import write_requests
from bench.report import Results
from bench.scenarios import deployments, profiles, start_submit
from bench.scenarios import memory as memory_scenarios
from bench.scenarios.adaptive import adaptive, adaptive_endpoints_served
from bench.scenarios.context import BenchContext
from bench.scenarios.environment import Environment, describe_servers
from bench.scenarios.remaining import read_run, redis_benchmark
from bench.scenarios.rounds import rounds
from bench.scenarios.save import pgbench, save_runs
from bench.servers import HELLO_FACTORY, HOURGLASS_FACTORY
from infrastructure.postgres.migrations import upgrade_database

__all__ = ["BenchRun", "Environment", "scratch_directory"]


class BenchRun(BenchContext):
    """The scenarios the config wants, in an order that keeps each one's servers warm and
    its data seeded: the measured server stays up from the seed to the last submit."""

    def run(self) -> Results:
        cfg = self.config
        upgrade_database(self.backing.database_url)
        self.environment = describe_servers(self.backing.database_url, self.backing.redis_url)
        used_before = memory.used_memory(self.backing.redis_url)
        with self.service(f"hourglass-{SERVER}-1w", HOURGLASS_FACTORY) as main:
            self.results.rss["idle"] = main.rss_bytes()
            seeded = start_submit.start_attempts(self, main)
            baselines.settle_database(self.backing.database_url)
            self.results.rss["seeded"] = main.rss_bytes()
            adaptive_endpoints_served(self, main)
            if cfg.wants("memory"):
                memory_scenarios.fixed_form_footprint(self, seeded, used_before)
                memory_scenarios.adaptive_footprint(self, main)
            save, remaining, hello = self._request_files(seeded)
            if cfg.wants("save"):
                save_runs(self, main, "hourglass", SERVER, 1, save, cfg.connections)
            if cfg.wants("adaptive"):
                adaptive(self, main)
            if cfg.wants("remaining"):
                read_run(self, main, "hourglass", SERVER, "remaining", remaining)
                with self.service(f"hello-{SERVER}", HELLO_FACTORY) as hello_app:
                    read_run(self, hello_app, "hello", SERVER, "hello", hello)
            if cfg.wants("save"):
                pgbench(self, seeded)
            if cfg.wants("remaining"):
                redis_benchmark(self)
            if cfg.wants("scaling"):
                deployments.two_workers(self, save, remaining)
            if cfg.wants("peer"):
                deployments.peer(self, save)
            if cfg.wants("other-server"):
                deployments.other_server(self, save, remaining, hello)
            if cfg.wants("rounds"):
                rounds(self, main, save, remaining, hello)
            if cfg.wants("profile"):
                profiles.fixed_form_profiles(self, save, remaining)
                profiles.adaptive_profile(self, main)
            self.results.rss["after load"] = main.rss_bytes()
            if cfg.wants("submit"):
                start_submit.submit(self, main, seeded)
        return self.results

    def _request_files(self, seeded: seed.Seeded) -> tuple[Path, Path, Path]:
        """The save, remaining-time and hello-world request files over the seeded attempts."""
        cfg, files = self.config, self.scratch
        save = write_requests(files / "save.txt", seed.save_lines(
            seeded, count=max(2 * len(seeded.attempts), 2_000), questions=cfg.questions,
            stale_share=cfg.stale_share,
        ))  # fmt: skip
        remaining = write_requests(files / "remaining.txt", seed.remaining_lines(seeded))
        hello = write_requests(files / "hello.txt", seed.hello_lines(seeded))
        return save, remaining, hello


@contextlib.contextmanager
def scratch_directory() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hourglass-bench-run-") as path:
        yield Path(path)
