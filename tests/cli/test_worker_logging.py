"""`hourglass sweep` and `hourglass dispatch` log as `serve` does: at HOURGLASS_LOG_LEVEL,
each line with its request id ("-" outside a request)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backend import Backend

DEBUG_LINE = re.compile(r" DEBUG \S+ \[-\]: ")


@pytest.mark.parametrize("command", [["sweep", "--once"], ["dispatch", "--once"]])
def test_a_worker_logs_at_the_configured_level_with_request_ids(
    command: list[str], backend: Backend, tmp_path: Path
) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOURGLASS_")}
    environment |= {
        "HOURGLASS_DATABASE_URL": backend.database_url,
        "HOURGLASS_REDIS_URL": backend.redis_url,
        "HOURGLASS_REDIS_KEY_PREFIX": backend.key_prefix,
        "HOURGLASS_REDIS_CLUSTER": str(backend.redis_cluster).lower(),
        "HOURGLASS_DATA_DIR": str(tmp_path),
        "HOURGLASS_LOG_LEVEL": "DEBUG",
    }
    hourglass = Path(sys.executable).parent / "hourglass"
    finished = subprocess.run(
        [str(hourglass), *command],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert DEBUG_LINE.search(finished.stderr), finished.stderr
