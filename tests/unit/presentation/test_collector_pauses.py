"""Garbage-collector pauses, timed per generation, in Prometheus's histogram form."""

from __future__ import annotations

import gc

from presentation.api.metrics import exposition
from presentation.bootstrap.heap import PAUSE_BUCKETS, CollectorPauses


class SteppingClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _collect(
    pauses: CollectorPauses, clock: SteppingClock, generation: int, seconds: float
) -> None:
    pauses._observe("start", {"generation": generation})
    clock.now += seconds
    pauses._observe("stop", {"generation": generation, "collected": 0, "uncollectable": 0})


def test_each_pause_lands_in_its_generation_and_bucket() -> None:
    clock = SteppingClock()
    pauses = CollectorPauses(clock)
    _collect(pauses, clock, 0, 0.0004)
    _collect(pauses, clock, 0, 0.0004)
    _collect(pauses, clock, 2, 0.07)

    text = exposition(pauses.families())

    assert "# TYPE hourglass_gc_pause_seconds histogram" in text
    assert 'hourglass_gc_pause_seconds_bucket{generation="0",le="0.001"} 2' in text
    assert 'hourglass_gc_pause_seconds_count{generation="0"} 2' in text
    assert 'hourglass_gc_pause_seconds_count{generation="1"} 0' in text
    assert 'hourglass_gc_pause_seconds_bucket{generation="2",le="0.05"} 0' in text
    assert 'hourglass_gc_pause_seconds_bucket{generation="2",le="0.1"} 1' in text
    assert 'hourglass_gc_pause_seconds_bucket{generation="2",le="+Inf"} 1' in text
    sums = [line for line in text.splitlines() if line.startswith("hourglass_gc_pause_seconds_sum")]
    assert len(sums) == 3
    assert abs(float(sums[2].split()[-1]) - 0.07) < 1e-9
    assert len(PAUSE_BUCKETS) + 1 == text.count('generation="1",le=')


def test_installed_it_sees_the_collector_run_and_uninstalled_it_stops() -> None:
    pauses = CollectorPauses()
    pauses.install()
    pauses.install()  # once only
    try:
        gc.collect()
        assert pauses._observe in gc.callbacks
        assert gc.callbacks.count(pauses._observe) == 1
    finally:
        pauses.uninstall()
    assert pauses._observe not in gc.callbacks
    text = exposition(pauses.families())
    assert 'hourglass_gc_pause_seconds_count{generation="2"} 1' in text
    gc.collect()
    assert 'hourglass_gc_pause_seconds_count{generation="2"} 1' in exposition(pauses.families())
