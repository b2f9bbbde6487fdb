"""The bench reads a server's CPU finer than psutil's 10 ms ticks, so a short ramp of a
few candidates does not read as free."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil
import pytest
from bench.servers import process_cpu_seconds


def test_reads_this_process_as_its_own_cpu_clock_does() -> None:
    before = time.process_time()
    read = process_cpu_seconds(psutil.Process())
    after = time.process_time()

    assert before <= read <= after


@pytest.mark.skipif(sys.platform != "linux", reason="elsewhere psutil's ticks are the clock")
def test_reads_another_process_to_below_a_tick() -> None:
    # A child that spins for 3 ms of CPU, then waits to be read.
    spin = "import sys,time\nt=time.process_time()\nwhile time.process_time()-t<0.003: pass\n"
    child = subprocess.Popen(
        [sys.executable, "-c", spin + "print(time.process_time(),flush=True)\nsys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        own = float(child.stdout.readline())
        read = process_cpu_seconds(psutil.Process(child.pid))
    finally:
        child.kill()
        child.wait()

    # The child's own clock, read just before: the two agree to well under a tick.
    assert own <= read < own + 0.005
