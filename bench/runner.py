"""One bench run: servers, seed, every scenario in turn, results for the report."""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import secrets
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import redis

from bench import adaptive_load, baselines, memory, seed
from bench.config import OTHER_SERVER, SERVER, BenchConfig
from bench.loadgen import WrkResult, run_wrk, write_requests
from bench.profiles import summarise
from bench.report import Results, wrk_key
from bench.rounds import ADAPTIVE, HELLO_TWO_WORKERS, REMAINING, TWO_WORKERS, RoundPair
from bench.servers import (
    HELLO_FACTORY,
    HOURGLASS_FACTORY,
    PEER_FACTORY,
    Backing,
    ServiceProcess,
    attached_profiler,
    free_port,
    py_spy,
    server_command,
)
from domain.exam import Exam
from infrastructure.postgres.migrations import upgrade_database


@dataclass(slots=True)
class Environment:
    """Facts about the servers, for the report's header."""

    postgres: dict[str, str] = field(default_factory=dict)
    redis_version: str = "?"


@dataclass(frozen=True, slots=True)
class _AdaptiveLoad:
    attempts: list[tuple[UUID, str]]
    items: list[list[str]]  # per attempt, the items it will administer, in order
    rounds: int
    threads: int  # wrk threads: each replays its own slice of attempts, round by round
    next_items: Path
    responses: Path


class BenchRun:
    def __init__(self, config: BenchConfig, backing: Backing, key_prefix: str, scratch: Path):
        self.config = config
        self.backing = backing
        self.prefix = key_prefix
        self.scratch = scratch
        self.secret = secrets.token_urlsafe(32)
        self._admin = seed.admin_token(self.secret)
        self.run_id = secrets.token_hex(4)
        self.results = Results()
        self.environment = Environment()
        self._services: list[ServiceProcess] = []

    # --- services -------------------------------------------------------------------

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

    def _wrk(
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

    def _unrecorded(
        self, target: ServiceProcess, requests: Path, conns: int, **options: Any
    ) -> Callable[[], WrkResult]:
        """A wrk run to start later, its result returned rather than kept in the table."""
        return partial(self._wrk, target, "", requests, conns, record=False, **options)

    def _warm(self, target: ServiceProcess, requests: Path, conns: int) -> None:
        if self.config.warmup_seconds > 0:
            self._wrk(target, "", requests, conns, seconds=self.config.warmup_seconds, record=False)

    # --- the run --------------------------------------------------------------------

    def run(self) -> Results:
        cfg = self.config
        upgrade_database(self.backing.database_url)
        self._describe_servers()
        used_before = memory.used_memory(self.backing.redis_url)
        files = self.scratch
        with self.service(f"hourglass-{SERVER}-1w", HOURGLASS_FACTORY) as main:
            self.results.rss["idle"] = main.rss_bytes()
            seeded = self._seed(main)
            baselines.settle_database(self.backing.database_url)
            self.results.rss["seeded"] = main.rss_bytes()
            self._adaptive_check(main)
            if cfg.wants("memory"):
                self.results.footprint = memory.footprint(
                    self.backing.redis_url, self.prefix, [a for a, _ in seeded.attempts],
                    used_before=used_before,
                    attempts_started=len(seeded.attempts) + len(seeded.conflicts),
                )  # fmt: skip
                self._adaptive_memory(main)
            save = write_requests(files / "save.txt", seed.save_lines(
                seeded, count=max(2 * len(seeded.attempts), 2_000), questions=cfg.questions,
                stale_share=cfg.stale_share,
            ))  # fmt: skip
            remaining = write_requests(files / "remaining.txt", seed.remaining_lines(seeded))
            hello = write_requests(files / "hello.txt", seed.hello_lines(seeded))
            if cfg.wants("save"):
                self._save_runs(main, "hourglass", SERVER, 1, save, cfg.connections)
            if cfg.wants("adaptive"):
                self._adaptive(main)
            if cfg.wants("remaining"):
                self._read_run(main, "hourglass", SERVER, "remaining", remaining)
                with self.service(f"hello-{SERVER}", HELLO_FACTORY) as hello_app:
                    self._read_run(hello_app, "hello", SERVER, "hello", hello)
            if cfg.wants("save"):
                self._pgbench(seeded)
            if cfg.wants("remaining"):
                self.results.redis_bench = baselines.run_redis_benchmark(
                    self.backing.redis_url, clients=cfg.read_connections,
                    requests=max(10_000, int(50_000 * cfg.run_seconds / 10)),
                )  # fmt: skip
            if cfg.wants("scaling"):
                with self.service(f"hourglass-{SERVER}-2w", HOURGLASS_FACTORY, workers=2) as two:
                    # Seeding showed the first server every token and attempt; a new one
                    # must see them too (in each worker, hence a few passes) to compare
                    # steady states rather than cold caches with warm ones.
                    self._prime(two, remaining, passes=3)
                    self._save_runs(two, "hourglass", SERVER, 2, save, cfg.connections[:1])
            if cfg.wants("peer"):
                # The peer as the systems Hourglass replaces deploy it: one uvicorn worker.
                with self.service("peer-uvicorn", PEER_FACTORY, server="uvicorn") as peer:
                    self._save_runs(peer, "peer", "uvicorn", 1, save, cfg.connections)
            if cfg.wants("other-server"):
                self._other_server(save, remaining, hello)
            if cfg.wants("rounds"):
                self._rounds(main, save, remaining, hello)
            if cfg.wants("profile"):
                self._profiles(save, remaining)
                self._adaptive_profile(main)
            self.results.rss["after load"] = main.rss_bytes()
            if cfg.wants("submit"):
                self._submit(main, seeded)
        return self.results

    def _seed(self, main: ServiceProcess) -> seed.Seeded:
        cfg = self.config
        exam_id = seed.create_exam(main.url, seed.admin_token(self.secret), cfg.questions)
        rivals = seed.candidates(self.secret, self.run_id, cfg.conflict_attempts, kind="x")
        conflicts = seed.start_and_prime(main.url, exam_id, rivals)
        people = seed.candidates(self.secret, self.run_id, cfg.attempts)
        starts = write_requests(self.scratch / "start.txt", seed.start_lines(exam_id, people))
        limit = max(60.0, cfg.attempts / 50)
        key = wrk_key("hourglass", SERVER, 1, "start", cfg.read_connections)
        self._wrk(main, key, starts, cfg.read_connections, seconds=limit, once=True,
                  record=cfg.wants("start"))  # fmt: skip
        attempts = seed.attempts_in_progress(self.backing.database_url, exam_id, people)
        if len(attempts) < len(people):
            self.results.notes.append(
                f"start: {len(people) - len(attempts)} of {len(people)} candidates got no attempt"
            )
        return seed.Seeded(exam_id=exam_id, attempts=attempts, conflicts=conflicts)

    def _save_runs(
        self, target: ServiceProcess, app: str, server: str, workers: int, requests: Path,
        connections: tuple[int, ...],
    ) -> None:  # fmt: skip
        self._warm(target, requests, connections[0])
        # One worker only: with more, each /metrics scrape reaches whichever worker answers.
        timed = (app, workers) == ("hourglass", 1)
        for conns in connections:
            before = _collector_pauses(target.url) if timed else None
            result = self._wrk(
                target, wrk_key(app, server, workers, "save", conns), requests, conns
            )
            if before is not None:
                self._note_pauses(f"{app}/{server} save at {conns} conns", target, before)
            stale, failed = result.count(409), result.failures(409)
            if failed:
                self.results.notes.append(
                    f"{app}/{server}/{workers}w save at {conns} conns: {failed} failures other"
                    f" than the expected 409s ({result.statuses}, socket errors"
                    f" {result.socket_errors}); the server's log ends with:"
                    f" {target.log_tail(8)!r}"
                )
            expected = self.config.stale_share * result.requests
            self.results.notes.append(
                f"{app}/{server}/{workers}w save at {conns} conns: {stale} stale writes got 409"
                f" (about {expected:.0f} expected), {failed} other failures"
            )

    def _read_run(
        self, target: ServiceProcess, app: str, server: str, scenario: str, requests: Path,
        *, primed: bool = False,
    ) -> None:  # fmt: skip
        conns = self.config.read_connections
        # A candidate's page reads its timer again and again, so the steady state is a
        # process that has seen each attempt and token before: every line is sent once
        # (unmeasured) first, and the run measures repeat reads, not each one's first.
        if not primed:
            self._prime(target, requests)
        self._warm(target, requests, conns)
        before = self._local_copies(target) if app == "hourglass" else None
        pauses = _collector_pauses(target.url) if app == "hourglass" else None
        result = self._wrk(target, wrk_key(app, server, 1, scenario, conns), requests, conns)
        if pauses is not None:
            self._note_pauses(f"{app}/{server} {scenario}", target, pauses)
        if result.failures():
            self.results.notes.append(f"{app}/{server} {scenario}: failures {result.statuses}")
        after = self._local_copies(target) if app == "hourglass" else None
        if before is not None and after is not None:
            hits, misses = after[0] - before[0], after[1] - before[1]
            self.results.notes.append(
                f"{app}/{server} {scenario}: {hits} reads from the process's own copy of hot"
                f" state, {misses} from Redis or PostgreSQL"
            )

    def _note_pauses(self, run: str, target: ServiceProcess, before: _Pauses) -> None:
        after = _collector_pauses(target.url)
        if not after:
            return
        counts = ", ".join(
            f"generation {g}: {after[g][0] - before.get(g, (0, 0))[0]}" for g in sorted(after)
        )
        long = sum(after[g][1] - before.get(g, (0, 0))[1] for g in after)
        self.results.notes.append(
            f"{run}: garbage collections ({counts}), {long} of them over 10 ms"
        )

    def _prime(self, target: ServiceProcess, requests: Path, passes: int = 1) -> None:
        """Send every line of `requests` once per pass, unmeasured."""
        lines = sum(1 for _ in requests.open())
        for _ in range(passes):
            self._wrk(target, "", requests, self.config.read_connections,
                      seconds=max(60.0, lines / 200), once=True, record=False)  # fmt: skip

    def _local_copies(self, target: ServiceProcess) -> tuple[int, int] | None:
        """(hits, misses) of the process's local hot-state copies, from /admin/stats."""
        status, body = seed.call(target.url, "GET", "/api/v1/admin/stats", self._admin)
        redis = body.get("redis", {}) if status == 200 and isinstance(body, dict) else {}
        if "local_hits" not in redis:
            return None
        return int(redis["local_hits"]), int(redis["local_misses"])

    def _pgbench(self, seeded: seed.Seeded) -> None:
        if not baselines.pgbench_available():
            self.results.skipped["save"] = "skipped: no pgbench"
            return
        url = self.backing.database_url
        baselines.prepare_ids(url, [a for a, _ in seeded.attempts])
        try:
            for clients in self.config.connections:
                self.results.pgbench[clients] = baselines.run_pgbench(
                    url, self.scratch, clients=clients, seconds=self.config.run_seconds,
                    attempts=len(seeded.attempts), questions=self.config.questions,
                )  # fmt: skip
        finally:
            baselines.drop_ids(url)

    def _other_server(self, save: Path, remaining: Path, hello: Path) -> None:
        conns = self.config.connections[:1]
        other = OTHER_SERVER
        with self.service(f"hourglass-{other}-1w", HOURGLASS_FACTORY, server=other) as target:
            self._prime(target, remaining)  # as warm as the main server after seeding
            self._save_runs(target, "hourglass", other, 1, save, conns)
            self._read_run(target, "hourglass", other, "remaining", remaining, primed=True)
        with self.service(f"hello-{other}", HELLO_FACTORY, server=other) as hello_app:
            self._read_run(hello_app, "hello", other, "hello", hello)

    def _rounds(self, main: ServiceProcess, save: Path, remaining: Path, hello: Path) -> None:
        """The ratio targets as interleaved rounds (see bench/rounds.py), every server up
        and primed throughout, so a round's two sides are seconds apart."""
        cfg = self.config
        seconds, conns, reads = cfg.round_seconds, cfg.connections[0], cfg.read_connections
        adaptive = self._adaptive_load(main, "r", cfg.rounds * seconds)
        slices = _response_slices(adaptive, cfg.rounds, self.scratch) if adaptive else []
        if adaptive is None or len(slices) < cfg.rounds:
            self.results.notes.append("rounds: adaptive responses left out (too few attempts)")
        with (
            self.service(f"hello-{SERVER}-rounds", HELLO_FACTORY) as hello_app,
            self.service(f"hourglass-{SERVER}-2w-rounds", HOURGLASS_FACTORY, workers=2) as two,
            self.service(f"hello-{SERVER}-2w-rounds", HELLO_FACTORY, workers=2) as hello_two,
        ):  # fmt: skip
            self._prime(main, remaining)
            self._prime(hello_app, hello)
            self._prime(hello_two, hello)
            self._prime(two, remaining, passes=3)  # each worker sees every token
            self._warm(two, save, conns)
            if adaptive is not None:
                self._warm(main, adaptive.next_items, reads)  # engine built, states cached

            def side(target: ServiceProcess, requests: Path, conns: int) -> Callable[[], WrkResult]:
                return self._unrecorded(target, requests, conns, seconds=seconds)

            every_round = {
                REMAINING: (side(main, remaining, reads), side(hello_app, hello, reads)),
                TWO_WORKERS: (side(two, save, conns), side(main, save, conns)),
                HELLO_TWO_WORKERS: (side(hello_two, hello, reads), side(hello_app, hello, reads)),
            }
            for number in range(cfg.rounds):
                sides = dict(every_round)
                if adaptive is not None and number < len(slices):
                    # Once through the slice: its lines answer consecutive items in turn.
                    responses = self._unrecorded(
                        main, slices[number], conns, once=True,
                        seconds=max(60.0, 10 * seconds), threads=adaptive.threads,
                    )  # fmt: skip
                    sides[ADAPTIVE] = (responses, side(main, save, conns))
                for comparison, (measured, baseline) in sides.items():
                    if number % 2:
                        first = baseline()
                        pair = RoundPair(measured=measured(), baseline=first)
                    else:
                        pair = RoundPair(measured=measured(), baseline=baseline())
                    self.results.rounds.setdefault(comparison.name, []).append(pair)
        self._note_round_failures()

    def _note_round_failures(self) -> None:
        for name, pairs in self.results.rounds.items():
            # wrk may send an adaptive thread's first line twice: one 409 per thread.
            failed = sum(p.measured.failures(409) + p.baseline.failures(409) for p in pairs)
            conflicts = sum(p.measured.count(409) for p in pairs)
            self.results.notes.append(
                f"rounds, {name}: {failed} failures other than 409; the measured side got"
                f" {conflicts} 409s (stale writes on the save path, a repeated first line of"
                " an adaptive wrk thread)"
            )

    def _profiles(self, save: Path, remaining: Path) -> None:
        if not Path(py_spy()).exists():
            self.results.notes.append("profiles skipped: no py-spy in the bench environment")
            return
        seconds = self.config.profile_seconds
        for name, requests, conns in (
            ("save answer", save, self.config.connections[0]),
            ("remaining time", remaining, self.config.read_connections),
        ):
            with self.service(f"profile-{name.split()[0]}", HOURGLASS_FACTORY) as target:
                # As warm as the measured server: every token and timer seen once.
                self._prime(target, remaining)
                self._warm(target, requests, conns)
                self._profile(name, target, self._unrecorded(target, requests, conns,
                                                             seconds=seconds))  # fmt: skip

    def _adaptive_profile(self, main: ServiceProcess) -> None:
        """Adaptive responses on a fresh, primed server under py-spy, over attempts of their
        own (the measured run leaves its attempts at rounds nobody tracks)."""
        if not Path(py_spy()).exists():
            return
        seconds = self.config.profile_seconds
        adaptive = self._adaptive_load(main, "p", seconds)
        if adaptive is None:
            self.results.notes.append("profile of adaptive responses skipped: no attempt")
            return
        with self.service("profile-adaptive", HOURGLASS_FACTORY) as target:
            self._prime(target, adaptive.next_items)  # tokens seen, engine built, states cached
            conns = self.config.connections[0]
            load = self._unrecorded(target, adaptive.responses, conns, seconds=seconds,
                                    once=True, threads=adaptive.threads)  # fmt: skip
            self._profile("adaptive response", target, load)

    def _profile(self, name: str, target: ServiceProcess, load: Callable[[], object]) -> None:
        """py-spy on `target` while `load` runs; the summary is kept as the profile `name`."""
        directory = self.config.profile_dir or self.scratch
        directory.mkdir(parents=True, exist_ok=True)
        output = directory / f"profile-{name.split(maxsplit=1)[0]}.speedscope.json"
        try:
            with attached_profiler(target.pid, output, self.config.profile_seconds):
                load()
        except RuntimeError as error:
            self.results.notes.append(f"profile of {name} skipped: {error}")
            return
        self.results.profiles[name] = summarise(output)

    def _submit(self, main: ServiceProcess, seeded: seed.Seeded) -> None:
        cfg = self.config
        count = min(len(seeded.attempts), max(200, int(cfg.run_seconds * 300)))
        subset = seed.Seeded(seeded.exam_id, seeded.attempts[-count:], [])
        requests = write_requests(self.scratch / "submit.txt", seed.submit_lines(subset))
        key = wrk_key("hourglass", SERVER, 1, "submit", cfg.read_connections)
        result = self._wrk(main, key, requests, cfg.read_connections,
                           seconds=max(60.0, count / 20), once=True)  # fmt: skip
        if result.failures():
            self.results.notes.append(f"submit: failures {result.statuses}")

    # --- adaptive attempts (see bench/adaptive_load.py) ---------------------------------

    def _adaptive_attempts(
        self, main: ServiceProcess, body: dict[str, object], count: int, kind: str
    ) -> tuple[Exam, list[tuple[UUID, str]]]:
        exam = adaptive_load.create_exam(main.url, seed.admin_token(self.secret), body)
        people = seed.candidates(self.secret, self.run_id, count, kind=kind)
        starts = write_requests(
            self.scratch / f"start-{kind}.txt", seed.start_lines(str(exam.id), people)
        )
        self._wrk(main, "", starts, self.config.read_connections,
                  seconds=max(60.0, count / 20), once=True, record=False)  # fmt: skip
        attempts = seed.attempts_in_progress(self.backing.database_url, str(exam.id), people)
        if len(attempts) < len(people):
            self.results.notes.append(
                f"adaptive start: {len(people) - len(attempts)} of {len(people)} got no attempt"
            )
        return exam, attempts

    def _adaptive_load(
        self, main: ServiceProcess, kind: str, seconds: float
    ) -> _AdaptiveLoad | None:
        """Adaptive attempts started on `main`, and request files answering each attempt's
        items in turn (precomputed: the engine is deterministic) for about `seconds`."""
        cfg = self.config
        body = adaptive_load.exam_body(
            cfg.adaptive_items, max_items=cfg.adaptive_max_items,
            min_items=cfg.adaptive_max_items, se_target=0.01,
        )  # fmt: skip
        exam, attempts = self._adaptive_attempts(main, body, cfg.adaptive_attempts, kind)
        threads = max(1, min(cfg.wrk_threads, cfg.connections[0]))
        attempts = attempts[: len(attempts) // threads * threads]
        if not attempts:
            return None
        # Enough rounds for 5,000 responses/s, never the last item (which submits): a
        # file that runs out early ends the run with threads draining at lower concurrency.
        rounds = min(cfg.adaptive_max_items - 1,
                     max(2, math.ceil(seconds * 5000 / len(attempts))))  # fmt: skip
        items = adaptive_load.sequences(exam, [a for a, _ in attempts], rounds)
        return _AdaptiveLoad(
            attempts=attempts,
            items=items,
            rounds=rounds,
            threads=threads,
            next_items=write_requests(
                self.scratch / f"next-item-{kind}.txt", adaptive_load.next_item_lines(attempts)
            ),
            responses=write_requests(
                self.scratch / f"responses-{kind}.txt",
                adaptive_load.response_lines(attempts, items, threads),
            ),
        )

    def _adaptive(self, main: ServiceProcess) -> None:
        """POST responses (the item each attempt administers now) at the save path's first
        concurrency, then GET next-item at the read concurrency."""
        cfg = self.config
        load = self._adaptive_load(main, "a", cfg.run_seconds)
        if load is None:
            self.results.skipped["adaptive"] = "skipped: no adaptive attempt started"
            return
        conns, threads = cfg.connections[0], load.threads
        sample = min(10, len(load.attempts))
        matching = adaptive_load.first_items_match(main.url, load.attempts, load.items, sample)
        self._warm(main, load.next_items, cfg.read_connections)  # engine built, states cached
        key = wrk_key("hourglass", SERVER, 1, "adaptive", conns)
        pauses = _collector_pauses(main.url)
        result = self._wrk(main, key, load.responses, conns, once=True, threads=threads)
        self._note_pauses(f"hourglass/{SERVER} adaptive responses", main, pauses)
        self.results.notes.append(
            f"adaptive responses at {conns} conns: {result.count(200)} recorded,"
            f" {result.count(409)} answered 409 (up to {threads} expected: wrk may send a"
            f" thread's first line twice), {result.failures(409)} other failures; the service"
            f" gave the precomputed first item to {matching} of {sample} attempts checked;"
            f" {len(load.attempts)} attempts, {cfg.adaptive_items}-item bank,"
            f" {load.rounds} rounds ready"
        )
        reads = cfg.read_connections
        key = wrk_key("hourglass", SERVER, 1, "next-item", reads)
        read = self._wrk(main, key, load.next_items, reads)
        if read.failures():
            self.results.notes.append(f"adaptive next item: failures {read.statuses}")

    def _adaptive_memory(self, main: ServiceProcess) -> None:
        """Attempts of an exam longer than `adaptive_memory_responses` items, each given that
        many responses, then the Redis bytes of their keys and their deadline-index share."""
        cfg = self.config
        responses = cfg.adaptive_memory_responses
        body = adaptive_load.exam_body(
            cfg.adaptive_items, max_items=responses + 10, min_items=responses + 10,
            se_target=0.01, seed=2025,
        )  # fmt: skip
        exam, attempts = self._adaptive_attempts(main, body, cfg.adaptive_memory_attempts, "m")
        if not attempts:
            return
        items = adaptive_load.sequences(exam, [a for a, _ in attempts], responses)
        lines = adaptive_load.response_lines(attempts, items, threads=1)
        requests = write_requests(self.scratch / "responses-memory.txt", lines)
        conns = max(1, min(8, len(attempts) // 4))
        result = self._wrk(main, "", requests, conns, seconds=max(60.0, len(lines) / 20),
                           once=True, record=False, threads=1)  # fmt: skip
        recorded = result.count(200)
        self.results.adaptive_footprint = memory.footprint(
            self.backing.redis_url, self.prefix, [a for a, _ in attempts]
        )
        self.results.notes.append(
            f"adaptive memory: {len(attempts)} attempts, {recorded} of {len(lines)} responses"
            f" recorded ({responses} each; statuses {result.statuses})"
        )

    def _adaptive_check(self, main: ServiceProcess) -> None:
        try:
            with urllib.request.urlopen(main.url + "/schema/openapi.json", timeout=10) as r:
                schema = r.read().decode()
        except OSError:
            return
        self.results.adaptive_endpoints = "/responses" in schema and "next-item" in schema

    def _describe_servers(self) -> None:
        self.environment.postgres = asyncio.run(_postgres_settings(self.backing.database_url))
        client = redis.Redis.from_url(self.backing.redis_url)
        try:
            info = client.info("server")
            name = "Valkey" if "valkey_version" in info else "Redis"
            version = info.get("valkey_version") or info.get("redis_version")
            self.environment.redis_version = f"{name} {version}"
        finally:
            client.close()


def _response_slices(load: _AdaptiveLoad, rounds: int, scratch: Path) -> list[Path]:
    """`load`'s responses cut into `rounds` files of consecutive steps, one per round, so
    each round answers the items its attempts administer by then."""
    steps = load.rounds // rounds
    if steps < 1:
        return []
    return [
        write_requests(
            scratch / f"responses-round-{number}.txt",
            adaptive_load.response_lines(
                load.attempts,
                [items[number * steps : (number + 1) * steps] for items in load.items],
                load.threads,
            ),
        )
        for number in range(rounds)
    ]


# generation -> (collections, collections that paused the process over 10 ms)
_Pauses = dict[int, tuple[int, int]]
_PAUSE_LINE = re.compile(
    r'hourglass_gc_pause_seconds_(count|bucket)\{generation="(\d)"(?:,le="([^"]+)")?\} (\d+)'
)


def _collector_pauses(url: str) -> _Pauses:
    """The server's garbage-collector pause histogram, from its GET /metrics."""
    try:
        with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
            text = response.read().decode()
    except OSError:
        return {}
    counts: dict[int, int] = {}
    short: dict[int, int] = {}
    for line in text.splitlines():
        found = _PAUSE_LINE.match(line)
        if found is None:
            continue
        kind, generation, bound, value = found.groups()
        if kind == "count":
            counts[int(generation)] = int(value)
        elif bound == "0.01":
            short[int(generation)] = int(value)
    return {g: (n, n - short.get(g, 0)) for g, n in counts.items()}


async def _postgres_settings(url: str) -> dict[str, str]:
    connection = await asyncpg.connect(url)
    try:
        names = ("server_version", "synchronous_commit", "fsync", "max_connections",
                 "shared_buffers", "wal_sync_method")  # fmt: skip
        return {name: str(await connection.fetchval(f"SHOW {name}")) for name in names}
    finally:
        await connection.close()


@contextlib.contextmanager
def scratch_directory() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hourglass-bench-run-") as path:
        yield Path(path)
