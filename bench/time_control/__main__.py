"""`python -m bench.time_control [--attempts N] [--rounds N] [--cluster]`.

N attempts in progress of one exam (seeded by SQL, then put in hot state and the
deadline index as starts would), then rounds of extend, pause and resume of every one
through `ControlExamTime` in-process (no HTTP: the figure is the use case's), each timed
whole and split into storage (lock, rewrite, events and outbox, commit) and the Redis
follow-up (hot state, deadline index, one announcement per attempt). Checked after the
last round: every attempt has one audit event and one outbox event per change, and its
hot state holds the final version.

Runs on the given servers (a database of its own is created there and dropped after),
on embedded PostgreSQL and Valkey without URLs, or with `--cluster` on a local
three-primary Valkey Cluster (the tests' launcher).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest.mock import patch
from uuid import UUID

import asyncpg
from dishka import AsyncContainer, make_async_container

from application.identity import Actor, Role
from application.ports import HotStateStore
from application.use_cases import exam_time_control
from application.use_cases.exam_time_control import ControlExamTime, ExamTimeCommand, TimeAction
from bench.memory import forget_keys
from bench.scratch_database import scratch_database
from bench.servers import backing_servers
from bench.webhooks.finalisation import create_exam
from domain.attempt import Attempt
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.units import unit_of_work

RESULTS = Path(__file__).resolve().parent.parent / "results"
ADMIN = Actor(user_id="bench-admin", role=Role.ADMIN)
ACTIONS = (TimeAction.EXTEND, TimeAction.PAUSE, TimeAction.RESUME)


@dataclass
class Timings:
    whole: dict[TimeAction, list[float]] = field(default_factory=dict)
    follow_up: dict[TimeAction, list[float]] = field(default_factory=dict)
    affected: dict[TimeAction, list[int]] = field(default_factory=dict)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.time_control")
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="of extend, pause, resume")
    parser.add_argument("--cluster", action="store_true", help="a local Valkey Cluster")
    parser.add_argument("--database-url", default=os.environ.get("HOURGLASS_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("HOURGLASS_REDIS_URL"))
    parser.add_argument("--no-output", action="store_true", help="print only")
    return parser.parse_args(argv)


async def _seed(container: AsyncContainer, database_url: str, count: int) -> UUID:
    exam_id = await create_exam(container, timedelta(hours=2))
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(
            """
            INSERT INTO attempts (id, exam_id, candidate_id, number, mode, status, started_at,
              duration_seconds, time_multiplier, extra_seconds, extension_seconds,
              paused_seconds, grace_seconds, deadline, version, updated_at)
            SELECT gen_random_uuid(), $1::uuid, 'tc-' || n, 1, 'fixed', 'in_progress', now(),
              7200, 1, 0, 0, 0, 5, now() + interval '2 hours', 0, now()
            FROM generate_series(1, $2::int) n
            """,
            exam_id,
            count,
        )
    finally:
        await connection.close()
    return exam_id


@contextlib.contextmanager
def _timed_follow_up(spent: list[float]) -> Iterator[None]:
    """Times ControlExamTime's Redis follow-up on its own (the rest is storage)."""
    follow = ControlExamTime._follow

    async def timed(self: ControlExamTime, attempts: Sequence[Attempt], action: TimeAction) -> None:
        began = time.perf_counter()
        try:
            await follow(self, attempts, action)
        finally:
            spent.append(time.perf_counter() - began)

    with patch.object(ControlExamTime, "_follow", timed):
        yield


async def _measure(settings: Settings, args: argparse.Namespace) -> tuple[Timings, list[str]]:
    container = make_async_container(*default_providers(), context={Settings: settings})
    assert settings.database_url is not None
    timings = Timings()
    try:
        exam_id = await _seed(container, settings.database_url, args.attempts)
        for number in range(args.rounds):
            for action in ACTIONS:
                seconds = 60.0 if action is TimeAction.EXTEND else None
                command = ExamTimeCommand(
                    actor=ADMIN, exam_id=exam_id, action=action, seconds=seconds,
                    reason=f"bench round {number}",
                )  # fmt: skip
                spent: list[float] = []
                with _timed_follow_up(spent):
                    began = time.perf_counter()
                    async with unit_of_work(container) as request:
                        affected = await (await request.get(ControlExamTime))(command)
                    elapsed = time.perf_counter() - began
                timings.whole.setdefault(action, []).append(elapsed)
                timings.follow_up.setdefault(action, []).append(spent[0] if spent else 0.0)
                timings.affected.setdefault(action, []).append(affected)
        problems = await _verify(container, settings.database_url, exam_id, args)
    finally:
        await container.close()
    return timings, problems


async def _verify(
    container: AsyncContainer, database_url: str, exam_id: UUID, args: argparse.Namespace
) -> list[str]:
    changes = args.rounds * len(ACTIONS)
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            """
            WITH audited AS (
                SELECT attempt_id AS id, count(*) AS n FROM attempt_events GROUP BY attempt_id
            ), told AS (
                SELECT subject_id AS id, count(*) AS n FROM webhook_events GROUP BY subject_id
            )
            SELECT a.id, a.version, coalesce(audited.n, 0) AS audited,
                   coalesce(told.n, 0) AS told
            FROM attempts a LEFT JOIN audited USING (id) LEFT JOIN told USING (id)
            WHERE a.exam_id = $1
            """,
            exam_id,
        )
    finally:
        await connection.close()
    problems = []
    wrong = [row for row in rows if row["version"] != changes or row["audited"] != changes]
    if wrong:
        problems.append(f"{len(wrong)} attempts without {changes} versions and audit events")
    untold = [row for row in rows if row["told"] != changes]
    if untold:
        problems.append(f"{len(untold)} attempts without {changes} outbox events")
    hot_state = await container.get(HotStateStore)
    sample = rows[:: max(1, len(rows) // 200)]
    stale = 0
    for row in sample:
        cached = await hot_state.get(row["id"])
        if cached is None or cached.version != changes:
            stale += 1
    if stale:
        problems.append(f"{stale} of {len(sample)} sampled hot states not at v{changes}")
    return problems


def report(args: argparse.Namespace, backing: str, timings: Timings, problems: list[str]) -> str:
    load = os.getloadavg()
    command = f"python -m bench.time_control --attempts {args.attempts} --rounds {args.rounds}"
    if args.cluster:
        command += " --cluster"
    lines = [
        f"### Exam-wide time control ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`{command}` on {backing}; os.cpu_count() = {os.cpu_count()}, load average"
        f" {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end; follow-up batches of"
        f" {exam_time_control.FOLLOW_UP_BATCH}.",
        "",
        "| action | affected | seconds (median) | rounds | Redis follow-up (median) |",
        "|---|---|---|---|---|",
    ]
    for action in ACTIONS:
        whole, follow = timings.whole[action], timings.follow_up[action]
        rounds = " / ".join(f"{value:.2f}" for value in whole)
        lines.append(
            f"| {action} | {timings.affected[action][-1]} | {statistics.median(whole):.2f} |"
            f" {rounds} | {statistics.median(follow):.2f} |"
        )
    lines += ["", "Checks: " + ("; ".join(problems) if problems else "all passed."), ""]
    return "\n".join(lines)


@contextlib.contextmanager
def _redis(args: argparse.Namespace, given: str) -> Iterator[tuple[str, bool]]:
    if not args.cluster:
        yield given, False
        return
    from tests.cluster import local_cluster  # the tests' launcher, as bench.cluster uses

    with local_cluster() as cluster:
        yield cluster.url, True


def run(args: argparse.Namespace) -> str:
    with backing_servers(args.database_url, args.redis_url) as backing:
        prefix = f"hgbench{uuid.uuid4().hex[:6]}"
        with (
            scratch_database(backing.database_url, "hourglass_bench_tc") as database_url,
            _redis(args, backing.redis_url) as (redis_url, cluster),
        ):
            try:
                settings = Settings(
                    database_url=database_url,
                    redis_url=redis_url,
                    redis_cluster=cluster,
                    redis_key_prefix=prefix,
                    jwt_secret="bench-time-control-secret-long-enough-for-hs256",
                    rate_limit_writes_per_second=0,
                    webhook_dispatcher_enabled=False,
                )
                timings, problems = asyncio.run(_measure(settings, args))
            finally:
                if not cluster:
                    forget_keys(redis_url, prefix)
        where = "a local 3-primary Valkey Cluster" if args.cluster else backing.origin
    return report(args, where, timings, problems)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    section = run(args)
    print(section)
    if not args.no_output:
        RESULTS.mkdir(exist_ok=True)
        with (RESULTS / f"{datetime.now(UTC):%Y-%m-%d}.md").open("a") as results:
            results.write("\n" + section + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
