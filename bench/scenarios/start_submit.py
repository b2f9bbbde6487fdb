"""Starting attempts over HTTP (which also seeds every other scenario) and submitting them."""

from __future__ import annotations

from bench import seed
from bench.config import SERVER
from bench.loadgen import write_requests
from bench.report import wrk_key
from bench.scenarios.context import BenchContext
from bench.servers import ServiceProcess

# About what one worker submits per second on 2 cores (docs/benchmarks.md).
_SUBMITS_PER_SECOND = 1_000


def start_attempts(bench: BenchContext, main: ServiceProcess) -> seed.Seeded:
    """An exam, the attempts that get stale writes, and `config.attempts` started by wrk."""
    cfg = bench.config
    exam_id = seed.create_exam(main.url, seed.admin_token(bench.secret), cfg.questions)
    rivals = seed.candidates(bench.secret, bench.run_id, cfg.conflict_attempts, kind="x")
    conflicts = seed.start_and_prime(main.url, exam_id, rivals)
    people = seed.candidates(bench.secret, bench.run_id, cfg.attempts)
    starts = write_requests(bench.scratch / "start.txt", seed.start_lines(exam_id, people))
    limit = max(60.0, cfg.attempts / 50)
    key = wrk_key("hourglass", SERVER, 1, "start", cfg.read_connections)
    bench.wrk(main, key, starts, cfg.read_connections, seconds=limit, once=True,
              record=cfg.wants("start"))  # fmt: skip
    attempts = seed.attempts_in_progress(bench.backing.database_url, exam_id, people)
    if len(attempts) < len(people):
        bench.note(
            f"start: {len(people) - len(attempts)} of {len(people)} candidates got no attempt"
        )
    return seed.Seeded(exam_id=exam_id, attempts=attempts, conflicts=conflicts)


def submit(bench: BenchContext, main: ServiceProcess, seeded: seed.Seeded) -> None:
    """Submit the last attempts started (the saves have left them with answers): as many
    as a run's length takes at the rate submits reach here, so the figure is a steady
    state like the other runs' rather than a two-second burst whose tail is its start."""
    cfg = bench.config
    count = min(len(seeded.attempts), max(200, int(cfg.run_seconds * _SUBMITS_PER_SECOND)))
    subset = seed.Seeded(seeded.exam_id, seeded.attempts[-count:], [])
    requests = write_requests(bench.scratch / "submit.txt", seed.submit_lines(subset))
    key = wrk_key("hourglass", SERVER, 1, "submit", cfg.read_connections)
    result = bench.wrk(main, key, requests, cfg.read_connections,
                       seconds=max(60.0, count / 20), once=True)  # fmt: skip
    if result.failures():
        bench.note(f"submit: failures {result.statuses}")
