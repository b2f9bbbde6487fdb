"""What a load run keeps: latencies per operation, failures by kind, the streams' fate."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

OPERATIONS = ("start", "questions", "save", "submit")


@dataclass(slots=True)
class Recorder:
    """Latencies in seconds per operation and failures as "operation: kind" counts."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)

    def took(self, operation: str, seconds: float) -> None:
        self.latencies[operation].append(seconds)

    def failed(self, operation: str, kind: str) -> None:
        self.errors[f"{operation}: {kind}"] += 1

    def count(self, operation: str) -> int:
        return len(self.latencies.get(operation, ()))

    def percentile(self, operation: str, q: float) -> float:
        """The q-th percentile (0-100) in seconds; NaN when nothing was measured."""
        values = self.latencies.get(operation)
        if not values:
            return float("nan")
        # "higher": a reported p99.9 is a latency some request really had.
        return float(np.percentile(np.asarray(values), q, method="higher"))

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def error_summary(self, limit: int = 6) -> str:
        if not self.errors:
            return "none"
        return ", ".join(f"{kind} × {n:,}" for kind, n in self.errors.most_common(limit))


def milliseconds(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{1000 * seconds:.1f} ms"  # NaN: not measured
