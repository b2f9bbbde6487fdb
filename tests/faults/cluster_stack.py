"""PostgreSQL, a local 3+3 Valkey Cluster, two API processes and two sweepers of our own."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.cluster import LocalCluster, local_cluster
from tests.faults.load import SECRET
from tests.faults.servers import ApiProcess, OwnPostgres, postgres_bin_or_skip

NETWORK_GRACE_SECONDS = 1.0


@dataclass
class SweeperProcess:
    """`hourglass sweep`: a sweeper of its own, as a deployment runs M of them."""

    environment: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None)

    def start(self) -> None:
        script = Path(sys.executable).parent / "hourglass"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(script), "sweep", "--data-dir", str(self.log_path.parent)],
                # At INFO whatever the stack's level: `wait_started` reads its migration line.
                env={**os.environ, **self.environment, "HOURGLASS_LOG_LEVEL": "info"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_started(self, timeout: float = 90.0) -> None:
        """Until it has checked the migrations and the topology: its loop runs next. A
        Python process takes seconds to get there on a busy machine, and a test's first
        deadlines must not pass before it does."""
        deadline = time.monotonic() + timeout
        while "Will assume transactional DDL" not in self.log_path.read_text(errors="replace"):
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the sweeper exited: {self.log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError("the sweeper did not start")
            time.sleep(0.1)
        time.sleep(1.0)  # the topology check and the first pass

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


@dataclass
class ClusterStack:
    postgres: OwnPostgres
    cluster: LocalCluster
    apis: list[ApiProcess]
    sweepers: list[SweeperProcess]


@contextlib.contextmanager
def cluster_stack(apis: int = 2, sweepers: int = 2) -> Iterator[ClusterStack]:
    """Every process with HOURGLASS_REDIS_CLUSTER=true and the URL of one node. The API
    processes run without a sweeper of their own; `sweepers` separate ones expire."""
    bin_dir = postgres_bin_or_skip()
    postgres = OwnPostgres(bin_dir)
    started_apis: list[ApiProcess] = []
    started_sweepers: list[SweeperProcess] = []
    try:
        postgres.init()
        with local_cluster() as cluster:
            environment = {
                "HOURGLASS_DATABASE_URL": postgres.url,
                "HOURGLASS_REDIS_URL": cluster.url,
                "HOURGLASS_REDIS_CLUSTER": "true",
                "HOURGLASS_JWT_SECRET": SECRET,
                "HOURGLASS_NETWORK_GRACE_SECONDS": str(NETWORK_GRACE_SECONDS),
                "HOURGLASS_LOG_LEVEL": "warning",
                # The load comes from one test client: the per-candidate limit stays on.
            }
            # One after the other: `serve` migrates at start (the lock is another task's).
            for _ in range(apis):
                api = ApiProcess({**environment, "HOURGLASS_SWEEPER_ENABLED": "false"})
                api.start()
                started_apis.append(api)
            for number in range(sweepers):
                log = started_apis[0].log_path.parent / f"sweep-{number}.log"
                sweeper = SweeperProcess(environment, log)
                sweeper.start()
                started_sweepers.append(sweeper)
            for sweeper in started_sweepers:
                sweeper.wait_started()
            try:
                yield ClusterStack(postgres, cluster, started_apis, started_sweepers)
            finally:
                for sweeper in started_sweepers:
                    sweeper.stop()
                for api in started_apis:
                    api.stop()
                    shutil.rmtree(api.log_path.parent, ignore_errors=True)
    finally:
        postgres.remove()
