"""python -m bench.exam_rss [--steps 10,50,100,300] [--questions 2000] [--cache-mib 128]
[--reads-per-exam 2] [--database-url URL --redis-url URL]: one `hourglass serve` worker
(no sweeper) on the given or embedded servers; prints bench/scenarios/exam_rss.py's table."""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from application.identity import Role
from bench.scenarios.exam_rss import MIB, exam_rss, rss_table
from bench.servers import ServiceProcess, backing_servers, free_port
from presentation.api.auth import issue_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exam_rss")
    parser.add_argument("--steps", default="10,50,100,300")
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--stem-length", type=int, default=200)
    parser.add_argument("--cache-mib", type=float, default=128)
    parser.add_argument("--reads-per-exam", type=int, default=2)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args(argv)
    steps = [int(step) for step in args.steps.split(",")]
    cache_bytes = int(args.cache_mib * MIB)
    secret = secrets.token_urlsafe(32)
    hourglass = shutil.which("hourglass") or f"{sys.prefix}/bin/hourglass"
    with backing_servers(args.database_url, args.redis_url) as backing, TemporaryDirectory() as d:
        port = free_port()
        service = ServiceProcess(
            "exam-rss",
            [hourglass, "serve", "--port", str(port), "--workers", "1", "--no-sweeper"],
            {
                "HOURGLASS_DATABASE_URL": backing.database_url,
                "HOURGLASS_REDIS_URL": backing.redis_url,
                "HOURGLASS_JWT_SECRET": secret,
                "HOURGLASS_REDIS_KEY_PREFIX": f"rss{secrets.token_hex(4)}",
                "HOURGLASS_EXAM_CACHE_BYTES": str(cache_bytes),
                "HOURGLASS_LOG_LEVEL": "WARNING",
                "HOURGLASS_DATA_DIR": str(Path(d) / "data"),
            },
            port,
            Path(d),
        ).start()
        try:
            rows = exam_rss(
                service,
                admin=issue_token(secret, subject="rss-admin", role=Role.ADMIN,
                                  lifetime=timedelta(hours=2)),
                candidate=issue_token(secret, subject="rss-candidate", role=Role.CANDIDATE,
                                      lifetime=timedelta(hours=2)),
                steps=steps,
                questions=args.questions,
                stem_length=args.stem_length,
                reads_per_exam=args.reads_per_exam,
                idle_seconds=args.idle_seconds,
            )  # fmt: skip
        finally:
            service.stop()
    print(rss_table(rows, cache_bytes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
