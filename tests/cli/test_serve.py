"""`hourglass serve` with no URLs: its embedded servers come and go with it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ready(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "serve exited before it was ready"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} not ready within {seconds} s")


def _embedded_servers(data_dir: Path) -> list[psutil.Process]:
    """Valkey runs in `<data dir>/valkey`; PostgreSQL names `<data dir>/postgres`."""
    found = []
    for process in psutil.process_iter(["cwd", "cmdline"]):
        cwd, cmdline = process.info["cwd"], " ".join(process.info["cmdline"] or ())
        if cwd == str(data_dir / "valkey") or str(data_dir / "postgres") in cmdline:
            found.append(process)
    return found


def test_sigterm_stops_the_embedded_servers_too(tmp_path: Path) -> None:
    port = _free_port()
    hourglass = Path(sys.executable).parent / "hourglass"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOURGLASS_")}
    process = subprocess.Popen(
        [str(hourglass), "serve", "--port", str(port), "--data-dir", str(tmp_path),
         "--no-sweeper"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    servers: list[psutil.Process] = []
    try:
        _ready(f"http://127.0.0.1:{port}/health/ready", process, seconds=120)
        servers = _embedded_servers(tmp_path)
        assert len(servers) >= 2, servers  # Valkey, and PostgreSQL's postmaster at least

        # What `systemctl stop`, `docker stop` or `kill` send.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM

        _, alive = psutil.wait_procs(servers, timeout=30)
        assert alive == []
        assert not (tmp_path / "postgres" / "postmaster.pid").exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for server in servers:  # whatever a failure left behind
            if server.is_running():
                server.kill()
