"""The exam-morning and fixed-rate benches end to end with a handful of candidates for a
second or two; checks that every table is complete, never a number."""

from __future__ import annotations

import math

import pytest
from bench.morning.__main__ import parse, run
from bench.morning.record import Recorder
from bench.morning.report import MORNING_COLUMNS, RATE_COLUMNS
from bench.morning.stream import LiveStream
from tests.backend import Backend


def test_a_stream_counts_events_split_anywhere_and_sees_its_final_status() -> None:
    stream = LiveStream("127.0.0.1", 1, "/stream", "token")
    ticks = b"event: remaining\r\ndata: {}\r\n\r\n" * 3
    body = ticks + b"event: deadline_changed\ndata: {}\n\n" + b"event: status\r\ndata: {}\r\n\r\n"
    for start in range(0, len(body), 7):
        stream._feed(body[start : start + 7])

    assert stream.events == {"remaining": 3, "deadline_changed": 1, "status": 1}
    assert stream.final.is_set()


def test_percentiles_are_latencies_that_happened() -> None:
    recorder = Recorder()
    for seconds in (0.001, 0.002, 0.003, 0.004):
        recorder.took("save", seconds)

    # Not 2.5 ms interpolated: the slower of the two latencies around the median.
    assert recorder.percentile("save", 50) == 0.003
    assert recorder.percentile("save", 100) == 0.004
    assert math.isnan(recorder.percentile("submit", 99))


@pytest.mark.integration
def test_the_morning_and_rate_benches_report_complete_tables(backend: Backend) -> None:
    args = parse([
        "--candidates", "8", "--all", "--start-spread", "0.3", "--idle-seconds", "0.3",
        "--save-seconds", "1.2", "--save-every", "0.3", "--reconnect-share", "0.5",
        "--expire-share", "0.25", "--deadline-margin", "1",
        "--rate", "50", "--rate-seconds", "1", "--rate-warmup", "0.2", "--rate-attempts", "5",
        "--pool-size", "4", "--database-url", backend.database_url,
        "--redis-url", backend.redis_url,
        # Under the test run's prefix, so the backend's clean-up removes what is left.
        "--redis-key-prefix", f"{backend.key_prefix}morning", "--no-output",
    ])  # fmt: skip

    section, mornings, rates = run(args)

    assert "| " + " | ".join(MORNING_COLUMNS) + " |" in section
    assert "| " + " | ".join(RATE_COLUMNS) + " |" in section
    assert [m.candidates for m in mornings] == [8]
    for morning in mornings:
        row = next(
            line for line in section.splitlines() if line.startswith(f"| {morning.candidates} |")
        )
        assert row.count(" | ") == len(MORNING_COLUMNS) - 1
        assert "–" not in row, row  # every operation was measured
        assert morning.recorder.count("start") == morning.candidates
        assert morning.open_at_idle == morning.candidates
        assert morning.expirers + morning.recorder.count("submit") == morning.candidates
        assert morning.finals == morning.candidates, morning.recorder.error_summary()
        assert morning.reconnects > 0
        floor = morning.floor
        assert floor is not None  # the baseline ran beside it, with the same candidates
        assert floor.recorder.count("start") == floor.candidates == morning.candidates
        assert floor.recorder.count("submit") == morning.recorder.count("submit")
        assert floor.finals == floor.candidates, floor.recorder.error_summary()
        assert floor.start_server_cpu > 0
        assert "against the floor" in section
    (rate,) = rates
    assert rate.sent == 50
    assert rate.recorder.count("save") == 50, rate.recorder.error_summary()
    assert "os.cpu_count()" in section
