"""Adaptive attempts: their request files (bench/adaptive_load.py), and responses and
next-item reads measured against the fixed-form save path."""

from __future__ import annotations

import math
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from bench import adaptive_load, adaptive_options_load, seed
from bench.collector import collector_pauses
from bench.config import SERVER
from bench.loadgen import write_requests
from bench.report import wrk_key
from bench.scenarios.context import BenchContext
from bench.servers import ServiceProcess
from domain.exam import Exam


@dataclass(frozen=True, slots=True)
class AdaptiveLoad:
    attempts: list[tuple[UUID, str]]
    items: list[list[str]]  # per attempt, the items it will administer, in order
    rounds: int
    threads: int  # wrk threads: each replays its own slice of attempts, round by round
    next_items: Path
    responses: Path


def start_adaptive_attempts(
    bench: BenchContext, main: ServiceProcess, body: dict[str, object], count: int, kind: str
) -> tuple[Exam, list[tuple[UUID, str]]]:
    """An adaptive exam made from `body`, and `count` attempts of it started by wrk."""
    exam = adaptive_load.create_exam(main.url, seed.admin_token(bench.secret), body)
    people = seed.candidates(bench.secret, bench.run_id, count, kind=kind)
    starts = write_requests(
        bench.scratch / f"start-{kind}.txt", seed.start_lines(str(exam.id), people)
    )
    bench.wrk(main, "", starts, bench.config.read_connections,
              seconds=max(60.0, count / 20), once=True, record=False)  # fmt: skip
    attempts = seed.attempts_in_progress(bench.backing.database_url, str(exam.id), people)
    if len(attempts) < len(people):
        bench.note(f"adaptive start: {len(people) - len(attempts)} of {len(people)} got no attempt")
    return exam, attempts


def adaptive_load_for(
    bench: BenchContext, main: ServiceProcess, kind: str, seconds: float
) -> AdaptiveLoad | None:
    """Adaptive attempts started on `main`, and request files answering each attempt's
    items in turn (precomputed: the engine is deterministic) for about `seconds`."""
    cfg = bench.config
    body = adaptive_load.exam_body(
        cfg.adaptive_items, max_items=cfg.adaptive_max_items,
        min_items=cfg.adaptive_max_items, se_target=0.01,
    )  # fmt: skip
    if cfg.adaptive_all_options:
        body = adaptive_options_load.with_all_options(body)
    exam, attempts = start_adaptive_attempts(bench, main, body, cfg.adaptive_attempts, kind)
    threads = max(1, min(cfg.wrk_threads, cfg.connections[0]))
    attempts = attempts[: len(attempts) // threads * threads]
    if not attempts:
        return None
    # Enough rounds for 5,000 responses/s, never the last item (which submits): a
    # file that runs out early ends the run with threads draining at lower concurrency.
    rounds = min(cfg.adaptive_max_items - 1,
                 max(2, math.ceil(seconds * 5000 / len(attempts))))  # fmt: skip
    items = adaptive_load.sequences(exam, [a for a, _ in attempts], rounds)
    return AdaptiveLoad(
        attempts=attempts,
        items=items,
        rounds=rounds,
        threads=threads,
        next_items=write_requests(
            bench.scratch / f"next-item-{kind}.txt", adaptive_load.next_item_lines(attempts)
        ),
        responses=write_requests(
            bench.scratch / f"responses-{kind}.txt",
            adaptive_load.response_lines(attempts, items, threads),
        ),
    )


def adaptive(bench: BenchContext, main: ServiceProcess) -> None:
    """POST responses (the item each attempt administers now) at the save path's first
    concurrency, then GET next-item at the read concurrency."""
    cfg = bench.config
    load = adaptive_load_for(bench, main, "a", cfg.run_seconds)
    if load is None:
        bench.results.skipped["adaptive"] = "skipped: no adaptive attempt started"
        return
    conns, threads = cfg.connections[0], load.threads
    sample = min(10, len(load.attempts))
    matching = adaptive_load.first_items_match(main.url, load.attempts, load.items, sample)
    bench.warm(main, load.next_items, cfg.read_connections)  # engine built, states cached
    key = wrk_key("hourglass", SERVER, 1, "adaptive", conns)
    pauses = collector_pauses(main.url)
    result = bench.wrk(main, key, load.responses, conns, once=True, threads=threads)
    bench.note_pauses(f"hourglass/{SERVER} adaptive responses", main, pauses)
    bench.note(
        f"adaptive responses at {conns} conns: {result.count(200)} recorded,"
        f" {result.count(409)} answered 409 (up to {threads} expected: wrk may send a"
        f" thread's first line twice), {result.failures(409)} other failures; the service"
        f" gave the precomputed first item to {matching} of {sample} attempts checked;"
        f" {len(load.attempts)} attempts, {cfg.adaptive_items}-item bank"
        f"{' with every engine option on' if cfg.adaptive_all_options else ''},"
        f" {load.rounds} rounds ready"
    )
    reads = cfg.read_connections
    key = wrk_key("hourglass", SERVER, 1, "next-item", reads)
    read = bench.wrk(main, key, load.next_items, reads)
    if read.failures():
        bench.note(f"adaptive next item: failures {read.statuses}")


def response_slices(load: AdaptiveLoad, rounds: int, scratch: Path) -> list[Path]:
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


def adaptive_endpoints_served(bench: BenchContext, main: ServiceProcess) -> None:
    """Whether `main`'s OpenAPI schema has the adaptive endpoints (unknown if unreadable)."""
    try:
        with urllib.request.urlopen(main.url + "/schema/openapi.json", timeout=10) as r:
            schema = r.read().decode()
    except OSError:
        return
    bench.results.adaptive_endpoints = "/responses" in schema and "next-item" in schema
