"""Redis bytes per attempt: the fixed-form attempts of the seed, then adaptive attempts
given `adaptive_memory_responses` responses each."""

from __future__ import annotations

from bench import adaptive_load, memory, seed
from bench.loadgen import write_requests
from bench.scenarios.adaptive import start_adaptive_attempts
from bench.scenarios.context import BenchContext
from bench.servers import ServiceProcess


def fixed_form_footprint(bench: BenchContext, seeded: seed.Seeded, used_before: int) -> None:
    bench.results.footprint = memory.footprint(
        bench.backing.redis_url, bench.prefix, [a for a, _ in seeded.attempts],
        used_before=used_before,
        attempts_started=len(seeded.attempts) + len(seeded.conflicts),
    )  # fmt: skip


def adaptive_footprint(bench: BenchContext, main: ServiceProcess) -> None:
    """Attempts of an exam longer than `adaptive_memory_responses` items, each given that
    many responses, then the Redis bytes of their keys and their deadline-index share."""
    cfg = bench.config
    responses = cfg.adaptive_memory_responses
    body = adaptive_load.exam_body(
        cfg.adaptive_items, max_items=responses + 10, min_items=responses + 10,
        se_target=0.01, seed=2025,
    )  # fmt: skip
    exam, attempts = start_adaptive_attempts(bench, main, body, cfg.adaptive_memory_attempts, "m")
    if not attempts:
        return
    items = adaptive_load.sequences(exam, [a for a, _ in attempts], responses)
    lines = adaptive_load.response_lines(attempts, items, threads=1)
    requests = write_requests(bench.scratch / "responses-memory.txt", lines)
    conns = max(1, min(8, len(attempts) // 4))
    result = bench.wrk(main, "", requests, conns, seconds=max(60.0, len(lines) / 20),
                       once=True, record=False, threads=1)  # fmt: skip
    recorded = result.count(200)
    bench.results.adaptive_footprint = memory.footprint(
        bench.backing.redis_url, bench.prefix, [a for a, _ in attempts]
    )
    bench.note(
        f"adaptive memory: {len(attempts)} attempts, {recorded} of {len(lines)} responses"
        f" recorded ({responses} each; statuses {result.statuses})"
    )
