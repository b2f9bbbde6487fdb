"""`hourglass serve` with no URLs: its embedded servers come and go with it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from presentation.cli.main import SHUTDOWN_GRACE_SECONDS


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


def _token(hourglass: Path, data_dir: Path, subject: str, role: str) -> str:
    command = [
        str(hourglass),
        "token",
        "--sub",
        subject,
        "--role",
        role,
        "--data-dir",
        str(data_dir),
    ]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOURGLASS_")}
    return subprocess.run(
        command, env=environment, capture_output=True, check=True, text=True
    ).stdout.strip()


def _post(port: int, path: str, token: str, body: object | None = None) -> dict[str, object]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}", method="POST",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, object] = json.loads(response.read())
        return answer


class _OpenStream:
    """A candidate's page with the attempt's stream open, read to its end in a thread."""

    def __init__(self, port: int, attempt_id: object, token: str) -> None:
        self.first_event = threading.Event()
        self.ended_whole = threading.Event()  # the response's last chunk arrived
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(
            "GET",
            f"/api/v1/attempts/{attempt_id}/stream",
            headers={"Authorization": f"Bearer {token}"},
        )
        self._response = connection.getresponse()
        assert self._response.status == 200
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while chunk := self._response.read1():
                if b"event: remaining" in chunk:
                    self.first_event.set()
            self.ended_whole.set()
        except (http.client.IncompleteRead, OSError):
            pass  # cut off, not ended


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
        # A candidate's stream is open: it lasts until the attempt ends, an hour from now.
        exam = _post(port, "/exams", _token(hourglass, tmp_path, "proctor", "admin"), {
            "title": "Stop", "mode": "fixed", "duration_seconds": 3600, "max_attempts": 1,
            "questions": [{"id": "q1", "stem": "?", "correct_key": "A",
                           "options": [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}]}],
        })  # fmt: skip
        candidate = _token(hourglass, tmp_path, "alice", "candidate")
        attempt = _post(port, f"/exams/{exam['id']}/attempts", candidate)
        page = _OpenStream(port, attempt["id"], candidate)
        assert page.first_event.wait(timeout=30)

        # What `systemctl stop`, `docker stop` or `kill` send. The stream ends whole after
        # serve's grace period (the page then reconnects), and serve stops.
        stopping = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
        assert time.monotonic() - stopping < SHUTDOWN_GRACE_SECONDS + 20
        assert page.ended_whole.wait(timeout=5)

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
