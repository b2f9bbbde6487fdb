"""The ratio targets as interleaved short rounds (the comparisons: bench/rounds.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.config import SERVER
from bench.loadgen import WrkResult
from bench.rounds import ADAPTIVE, HELLO_TWO_WORKERS, REMAINING, TWO_WORKERS, RoundPair
from bench.scenarios.adaptive import adaptive_load_for, response_slices
from bench.scenarios.context import BenchContext
from bench.servers import HELLO_FACTORY, HOURGLASS_FACTORY, ServiceProcess


def rounds(
    bench: BenchContext, main: ServiceProcess, save: Path, remaining: Path, hello: Path
) -> None:
    """Every server up and primed throughout, so a round's two sides are seconds apart."""
    cfg = bench.config
    seconds, conns, reads = cfg.round_seconds, cfg.connections[0], cfg.read_connections
    adaptive = adaptive_load_for(bench, main, "r", cfg.rounds * seconds)
    slices = response_slices(adaptive, cfg.rounds, bench.scratch) if adaptive else []
    if adaptive is None or len(slices) < cfg.rounds:
        bench.note("rounds: adaptive responses left out (too few attempts)")
    with (
        bench.service(f"hello-{SERVER}-rounds", HELLO_FACTORY) as hello_app,
        bench.service(f"hourglass-{SERVER}-2w-rounds", HOURGLASS_FACTORY, workers=2) as two,
        bench.service(f"hello-{SERVER}-2w-rounds", HELLO_FACTORY, workers=2) as hello_two,
    ):  # fmt: skip
        bench.prime(main, remaining)
        bench.prime(hello_app, hello)
        bench.prime(hello_two, hello)
        bench.prime(two, remaining, passes=3)  # each worker sees every token
        bench.warm(two, save, conns)
        if adaptive is not None:
            bench.warm(main, adaptive.next_items, reads)  # engine built, states cached

        def side(target: ServiceProcess, requests: Path, conns: int) -> Callable[[], WrkResult]:
            return bench.unrecorded(target, requests, conns, seconds=seconds)

        every_round = {
            REMAINING: (side(main, remaining, reads), side(hello_app, hello, reads)),
            TWO_WORKERS: (side(two, save, conns), side(main, save, conns)),
            HELLO_TWO_WORKERS: (side(hello_two, hello, reads), side(hello_app, hello, reads)),
        }
        for number in range(cfg.rounds):
            sides = dict(every_round)
            if adaptive is not None and number < len(slices):
                # Once through the slice: its lines answer consecutive items in turn.
                responses = bench.unrecorded(
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
                bench.results.rounds.setdefault(comparison.name, []).append(pair)
    _note_round_failures(bench)


def _note_round_failures(bench: BenchContext) -> None:
    for name, pairs in bench.results.rounds.items():
        # wrk may send an adaptive thread's first line twice: one 409 per thread.
        failed = sum(p.measured.failures(409) + p.baseline.failures(409) for p in pairs)
        conflicts = sum(p.measured.count(409) for p in pairs)
        bench.note(
            f"rounds, {name}: {failed} failures other than 409; the measured side got"
            f" {conflicts} 409s (stale writes on the save path, a repeated first line of"
            " an adaptive wrk thread)"
        )
