"""One expiry case: N attempts that all become overdue at the same moment, then the
production sweeper loop(s) finalising them, every lag taken from the sweeper's reports."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import statistics
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

import asyncpg
from dishka import AsyncContainer, make_async_container

from application.use_cases.refill_deadline_index import RefillDeadlineIndex
from bench.expiry import seeding
from bench.expiry.sweepers import run_sweepers
from bench.expiry.verify import Verification, verify, verify_sections
from bench.memory import forget_keys
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.units import unit_of_work

CALIBRATION_ATTEMPTS = 200
ONE_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpiryConfig:
    database_url: str
    redis_url: str
    key_prefix: str
    network_grace: float = 2.0  # the production default; lags count from deadline + this
    concurrency: int = 8  # tasks starting attempts at once
    save_every: int = 10  # every n-th attempt saves an answer before the deadline
    safety: float = 1.5  # closes_at = now + safety x estimated seeding time + lead
    lead_seconds: float = 3.0
    timeout_seconds: float = 120.0  # after the overdue moment, give up waiting
    profile_dir: Path | None = None  # pyinstrument profile of the sweep phase
    # `--sections`: each attempt's timed first section falls due at one instant instead
    # (the sweeper finishes the section, the attempt runs on in its second one).
    sections: bool = False

    def settings(self, prefix: str) -> Settings:
        return Settings(
            database_url=self.database_url,
            redis_url=self.redis_url,
            redis_key_prefix=prefix,
            network_grace_seconds=self.network_grace,
            sweeper_enabled=False,
            database_pool_size=max(10, self.concurrency + 2),
            log_level="WARNING",
        )


@dataclass(slots=True)
class CaseResult:
    attempts: int
    sweepers: int
    lags: list[float]  # overdue -> committed expired, one per attempt (ours only)
    per_sweeper: list[int]  # attempts each sweeper finalised
    busy_passes: int  # passes that expired at least one of ours
    longest_pass: float  # seconds
    seeding_seconds: float
    start_rate: float  # attempts started (and some answered) per second
    lead_seconds: float  # seeding finished this long before the overdue moment
    saved_answers: int
    verification: Verification
    profile: Path | None = None
    notes: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        if not self.lags:
            return float("nan")
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    @property
    def p50(self) -> float:
        return statistics.median(self.lags) if self.lags else float("nan")

    @property
    def total_seconds(self) -> float:
        """From the (common) overdue moment to the last commit."""
        return max(self.lags, default=float("nan"))

    @property
    def throughput(self) -> float:
        total = self.total_seconds
        return len(self.lags) / total if total > 0 else float("nan")


@contextlib.asynccontextmanager
async def _container(settings: Settings) -> AsyncIterator[AsyncContainer]:
    container = make_async_container(*default_providers(), context={Settings: settings})
    try:
        yield container
    finally:
        await container.close()


async def run_case(config: ExpiryConfig, attempts: int, sweepers: int, tag: str) -> CaseResult:
    prefix = f"{config.key_prefix}{tag}"
    settings = config.settings(prefix)
    async with _container(settings) as container:
        # Calibrate (and warm the pools and caches): how fast do starts go right now?
        sections = seeding.SECTIONS if config.sections else ()
        calibration = await seeding.create_exam(
            container, title=f"expiry bench calibration {tag}", closes_at=None,
            duration=ONE_HOUR, sections=sections,
        )  # fmt: skip
        probe = min(CALIBRATION_ATTEMPTS, attempts)
        subjects = [f"bx-{tag}-cal{i}" for i in range(probe)]
        _, spent = await seeding.timed(
            lambda: seeding.start_attempts(
                container, calibration, subjects, save_every=config.save_every,
                concurrency=config.concurrency,
            )
        )  # fmt: skip
        estimate = attempts * spent / probe
        closes_at = seeding.utcnow() + timedelta(
            seconds=config.safety * estimate + config.lead_seconds
        )
        exam_id = await seeding.create_exam(
            container, title=f"expiry bench {tag}", duration=ONE_HOUR, sections=sections,
            closes_at=None if config.sections else closes_at,
        )  # fmt: skip
        people = [f"bx-{tag}-{i}" for i in range(attempts)]
        started, seeding_seconds = await seeding.timed(
            lambda: seeding.start_attempts(
                container, exam_id, people, save_every=config.save_every,
                concurrency=config.concurrency,
            )
        )  # fmt: skip
        await _forget_calibration(config.database_url, calibration)
        if config.sections:
            await _sections_due_at(config, container, prefix, exam_id, closes_at)
        overdue_at = closes_at + timedelta(seconds=config.network_grace)  # exam grace is 0
        lead = (overdue_at - seeding.utcnow()).total_seconds()
        if seeding.utcnow() >= closes_at:
            raise RuntimeError(
                f"seeding took {seeding_seconds:.1f} s and ran past the exam's closes_at;"
                " raise --safety"
            )
    ours = {s.attempt_id for s in started}
    done = _all_sections_done if config.sections else _all_final
    passes, count = await run_sweepers(
        settings, sweepers, overdue_at, done(config.database_url, exam_id),
        limit_seconds=config.timeout_seconds, profile_dir=config.profile_dir, tag=tag,
    )  # fmt: skip
    lags: list[float] = []
    per_sweeper = [0] * sweepers
    busy = 0
    longest = 0.0
    for found in passes:
        mine = [lag for aid, lag in zip(found.expired, found.lags, strict=True) if aid in ours]
        lags += mine
        per_sweeper[found.sweeper] += len(mine)
        if mine:
            busy += 1
            longest = max(longest, found.seconds)
    check = verify_sections if config.sections else verify
    verification = await check(config.database_url, exam_id, started)
    result = CaseResult(
        attempts=attempts,
        sweepers=sweepers,
        lags=lags,
        per_sweeper=per_sweeper,
        busy_passes=busy,
        longest_pass=longest,
        seeding_seconds=seeding_seconds,
        start_rate=attempts / seeding_seconds if seeding_seconds else 0.0,
        lead_seconds=lead,
        saved_answers=sum(1 for s in started if s.saved is not None),
        verification=verification,
        profile=config.profile_dir,
    )
    result.notes.append(f"{count} sweeper passes in all")
    return result


def _all_final(database_url: str, exam_id: UUID) -> Callable[[], Awaitable[bool]]:
    """Polled every 50 ms during the burst: is no attempt of the exam left in progress?"""
    connection: asyncpg.Connection | None = None

    async def finished() -> bool:
        nonlocal connection
        if connection is None:
            connection = await asyncpg.connect(database_url)
        left = await connection.fetchval(
            "SELECT count(*) FROM attempts WHERE exam_id = $1 AND status = 'in_progress'",
            exam_id,
        )
        if left == 0:
            await connection.close()
            connection = None
        return bool(left == 0)

    return finished


# Every attempt's running section made to end at $2: its shift (pauses and extensions,
# domain.sections) set so entered_at + duration + shift = $2, as the admin's time changes
# move it; the column the sweeper reads set alike.
_ALIGN_SECTIONS = """
UPDATE attempts
SET sections = jsonb_set(
        sections, '{0,shift_seconds}',
        to_jsonb(EXTRACT(EPOCH FROM $2 - (sections->0->>'entered_at')::timestamptz)
                 - (sections->0->>'duration_seconds')::float8)),
    section_deadline = $2
WHERE exam_id = $1 AND status = 'in_progress'
"""


async def _sections_due_at(
    config: ExpiryConfig, container: AsyncContainer, prefix: str, exam_id: UUID, due: datetime
) -> None:
    """Make every attempt's timed section end at `due` (seeding spread their starts over
    seconds), then drop the run's Redis keys and rebuild the deadline index from PostgreSQL,
    as after Redis lost everything: the sweeper finds the sections by the rebuilt index."""
    connection = await asyncpg.connect(config.database_url)
    try:
        await connection.execute(_ALIGN_SECTIONS, exam_id, due)
    finally:
        await connection.close()
    await asyncio.to_thread(forget_keys, config.redis_url, prefix)
    async with unit_of_work(container) as request:
        refill = await request.get(RefillDeadlineIndex)
        await refill()


def _all_sections_done(database_url: str, exam_id: UUID) -> Callable[[], Awaitable[bool]]:
    """Polled every 50 ms during the burst: is no attempt's timed section left running?"""

    async def finished() -> bool:
        connection = await asyncpg.connect(database_url)
        try:
            left = await connection.fetchval(
                "SELECT count(*) FROM attempts WHERE exam_id = $1"
                " AND status = 'in_progress' AND section_deadline IS NOT NULL",
                exam_id,
            )
        finally:
            await connection.close()
        return bool(left == 0)

    return finished


async def _forget_calibration(database_url: str, exam_id: UUID) -> None:
    """The calibration attempts would stay in progress for an hour: remove them."""
    connection = await asyncpg.connect(database_url)
    try:
        async with connection.transaction():
            await connection.execute(
                "DELETE FROM attempt_events WHERE attempt_id IN"
                " (SELECT id FROM attempts WHERE exam_id = $1)",
                exam_id,
            )
            await connection.execute("DELETE FROM attempts WHERE exam_id = $1", exam_id)
    finally:
        await connection.close()


def quiet_logs() -> None:
    logging.getLogger("hourglass").setLevel(logging.WARNING)
