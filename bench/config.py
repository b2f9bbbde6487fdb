"""What one bench run does: sizes, durations, concurrencies, scenarios."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.sections import todays_results

# The ASGI server `hourglass serve` runs (it measured best here on the save path, with a
# quiet machine); the other is measured beside it.
SERVER = "uvicorn"
OTHER_SERVER = "granian"

SCENARIOS = (
    "start",  # start attempts over HTTP (also seeds the others)
    "save",  # save answer vs pgbench at each concurrency
    "remaining",  # remaining time vs hello world
    "submit",  # submit attempts
    "memory",  # Redis bytes per attempt, API RSS
    "scaling",  # save path with 2 workers
    "peer",  # save path of the FastAPI + asyncpg + redis-py peer
    "other-server",  # save and remaining under the other ASGI server (granian) as well
    "profile",  # py-spy profiles of the save and remaining paths
    "adaptive",  # adaptive responses (and next item) vs the fixed-form save path
    "rounds",  # the three ratio targets again, as interleaved short rounds (bench/rounds.py)
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchConfig:
    attempts: int = 10_000  # attempts started (and kept active) by the seed
    questions: int = 50  # questions of the fixed-form exam
    conflict_attempts: int = 100  # attempts that receive the deliberately stale writes
    stale_share: float = 0.05  # share of save requests carrying a stale expected_version
    run_seconds: float = 10.0  # each measured wrk / pgbench run
    warmup_seconds: float = 2.0  # unmeasured load before the first run on a server
    profile_seconds: float = 8.0  # each profiled run
    rounds: int = 5  # interleaved rounds per ratio target
    round_seconds: float = 4.0  # each side of a round
    connections: tuple[int, ...] = (
        64,
        256,
    )  # save-path concurrencies (HTTP conns = pgbench clients)
    read_connections: int = 64  # remaining / hello / start / submit concurrency
    wrk_threads: int = 2
    pool_size: int = 20  # HOURGLASS_DATABASE_POOL_SIZE (and the peer's asyncpg pool)
    scenarios: frozenset[str] = field(default_factory=lambda: frozenset(SCENARIOS))
    output: Path | None = field(default_factory=todays_results)
    profile_dir: Path | None = None  # keep the speedscope files here
    adaptive_items: int = 500  # item bank of the adaptive exam
    adaptive_attempts: int = 1_000  # adaptive attempts the response load runs over
    adaptive_max_items: int = 50  # max = min items, se_target 0.01: attempts run long
    adaptive_memory_attempts: int = 100  # attempts given `adaptive_memory_responses` each
    adaptive_memory_responses: int = 50
    # The adaptive exam with every engine option on (bench/adaptive_options_load.py).
    adaptive_all_options: bool = False

    @classmethod
    def quick(cls) -> BenchConfig:
        return cls(
            attempts=2_000,
            run_seconds=3.0,
            warmup_seconds=1.0,
            profile_seconds=3.0,
            rounds=3,
            round_seconds=2.0,
            adaptive_attempts=600,
            adaptive_memory_attempts=50,
        )

    def wants(self, scenario: str) -> bool:
        return scenario in self.scenarios
