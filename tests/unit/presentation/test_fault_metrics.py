"""The per-process write-rate decisions taken while Redis is away have a metric of their
own; other fallbacks do not count in it."""

from __future__ import annotations

from infrastructure.faults import FaultCounts
from presentation.bootstrap.fault_metrics import fault_families


def _local_decisions(faults: FaultCounts) -> object:
    (family,) = [
        f for f in fault_families(faults) if f.name == "hourglass_write_rate_local_decisions_total"
    ]
    assert family.kind == "counter"
    ((_, labels, value),) = family.samples
    assert labels == {}
    return value


def test_write_rate_fallbacks_are_counted_as_local_decisions() -> None:
    faults = FaultCounts()
    assert _local_decisions(faults) == 0
    faults.fell_back("write rate")
    faults.fell_back("write rate")
    faults.fell_back("schedule")
    assert _local_decisions(faults) == 2
