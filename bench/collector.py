"""The served process's garbage-collector pauses, read from its GET /metrics."""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GenerationPauses:
    """One generation's collections so far, how many paused the process over 10 ms and
    over 100 ms, and their seconds in all."""

    collections: int = 0
    over_10_ms: int = 0
    over_100_ms: int = 0
    seconds: float = 0.0

    def since(self, before: GenerationPauses) -> GenerationPauses:
        return GenerationPauses(
            self.collections - before.collections,
            self.over_10_ms - before.over_10_ms,
            self.over_100_ms - before.over_100_ms,
            self.seconds - before.seconds,
        )


Pauses = dict[int, GenerationPauses]
_PAUSE_LINE = re.compile(
    r'hourglass_gc_pause_seconds_(count|sum|bucket)\{generation="(\d)"(?:,le="([^"]+)")?\} (\S+)'
)


def collector_pauses(url: str) -> Pauses:
    """The server's garbage-collector pause histogram, from its GET /metrics."""
    try:
        with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
            text = response.read().decode()
    except OSError:
        return {}
    return parsed_pauses(text)


def parsed_pauses(text: str) -> Pauses:
    """The pause histogram out of a Prometheus exposition."""
    counts: dict[int, int] = {}
    seconds: dict[int, float] = {}
    within: dict[tuple[int, str], int] = {}
    for line in text.splitlines():
        found = _PAUSE_LINE.match(line)
        if found is None:
            continue
        kind, generation, bound, value = found.groups()
        g = int(generation)
        if kind == "count":
            counts[g] = int(value)
        elif kind == "sum":
            seconds[g] = float(value)
        elif bound in ("0.01", "0.1"):
            within[g, bound] = int(value)
    return {
        g: GenerationPauses(
            collections=n,
            over_10_ms=n - within.get((g, "0.01"), 0),
            over_100_ms=n - within.get((g, "0.1"), 0),
            seconds=seconds.get(g, 0.0),
        )
        for g, n in counts.items()
    }
