"""wrk runs: the generated request file, the Lua script, the JSON its done() prints."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SCRIPT = Path(__file__).parent / "wrk" / "requests.lua"
ONCE_SCRIPT = Path(__file__).parent / "wrk" / "once.lua"
_MARKER = "WRK_JSON "


@dataclass(frozen=True, slots=True)
class RequestLine:
    method: str
    path: str
    token: str | None = None
    body: str | None = None

    def render(self) -> str:
        return "\t".join((self.method, self.path, self.token or "-", self.body or "-"))


def write_requests(path: Path, lines: Iterable[RequestLine]) -> Path:
    path.write_text("".join(line.render() + "\n" for line in lines))
    return path


@dataclass(slots=True)
class WrkResult:
    requests: int
    seconds: float
    latency_ms: dict[str, float]  # min, mean, p50, p90, p99, p999, max
    statuses: dict[int, int]
    socket_errors: int  # connect + read + write + timeout
    generator_cpu_seconds: float
    machine_busy: float  # share of all cores busy during the run (0..1)
    server_cpu_seconds: float | None = None  # CPU of the measured server's processes
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def generator_share(self) -> float:
        """The load generator's share of the machine (all cores) during the run."""
        cores = os.cpu_count() or 1
        return self.generator_cpu_seconds / (self.seconds * cores) if self.seconds else 0.0

    @property
    def server_cpu_per_request_ms(self) -> float | None:
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return 1000 * self.server_cpu_seconds / self.requests

    def count(self, *statuses: int) -> int:
        return sum(self.statuses.get(status, 0) for status in statuses)

    def failures(self, *allowed: int) -> int:
        """Responses with a status not in 2xx or `allowed`, plus socket errors."""
        bad = sum(n for s, n in self.statuses.items() if not 200 <= s < 300 and s not in allowed)
        return bad + self.socket_errors


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    url: str,
    request_file: Path,
    *,
    connections: int,
    threads: int,
    seconds: float,
    once: bool = False,
    server_cpu: Callable[[], float] | None = None,
) -> WrkResult:
    """One wrk run; `once` sends every line once (and `seconds` is only a time limit)."""
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory(prefix="hourglass-wrk-") as scratch:
        done = Path(scratch) / "done"
        command = [
            shutil.which("wrk") or "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(ONCE_SCRIPT if once else SCRIPT),
            url,
            "--",
            str(request_file),
            "once" if once else "loop",
            str(threads),
            str(done),
        ]
        cpu_before = server_cpu() if server_cpu else None
        machine_before = psutil.cpu_times()
        out_path, err_path = Path(scratch) / "out", Path(scratch) / "err"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            process = subprocess.Popen(command, stdout=out, stderr=err)
        try:
            cpu_seconds = reap(process, seconds + 30, done if once else None, threads)
        finally:
            if process.returncode is None:
                process.kill()
                process.wait()
        server_seconds = (
            server_cpu() - cpu_before if server_cpu and cpu_before is not None else None
        )
        busy = _busy_share(machine_before, psutil.cpu_times())
        return _parse(out_path.read_text(), err_path.read_text(), cpu_seconds, busy, server_seconds)


def reap(
    process: subprocess.Popen[bytes], limit: float, done: Path | None = None, threads: int = 1
) -> float:
    """Wait for a load generator and return its CPU seconds (from wait4's rusage);
    with `done`, interrupt wrk once every thread has finished its slice."""
    deadline = time.monotonic() + limit
    interrupted = False
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        if done is not None and not interrupted and _all_done(done, threads):
            process.send_signal(signal.SIGINT)  # wrk prints its report on SIGINT
            interrupted = True
        time.sleep(0.02)
    raise TimeoutError(f"{process.args!r} did not finish in time")


def _all_done(done: Path, threads: int) -> bool:
    return all(Path(f"{done}.{index}").exists() for index in range(threads))


def _busy_share(before: tuple[float, ...], after: tuple[float, ...]) -> float:
    fields = ("idle", "iowait")
    total = sum(after) - sum(before)
    idle = sum(getattr(after, f, 0.0) - getattr(before, f, 0.0) for f in fields)
    return (total - idle) / total if total > 0 else 0.0


def _parse(
    out: str, err: str, cpu_seconds: float, busy: float, server_seconds: float | None
) -> WrkResult:
    line = next((ln for ln in out.splitlines() if ln.startswith(_MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out}\n{err}")
    data = json.loads(line[len(_MARKER) :])
    errors = data["errors"]
    latency = {key: value / 1000 for key, value in data["latency_us"].items()}
    return WrkResult(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        latency_ms=latency,
        statuses={int(key): int(value) for key, value in data["statuses"].items()},
        socket_errors=sum(int(errors[key]) for key in ("connect", "read", "write", "timeout")),
        generator_cpu_seconds=cpu_seconds,
        machine_busy=busy,
        server_cpu_seconds=server_seconds,
    )
