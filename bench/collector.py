"""The served process's garbage-collector pauses, read from its GET /metrics."""

from __future__ import annotations

import re
import urllib.request

# generation -> (collections, collections that paused the process over 10 ms)
Pauses = dict[int, tuple[int, int]]
_PAUSE_LINE = re.compile(
    r'hourglass_gc_pause_seconds_(count|bucket)\{generation="(\d)"(?:,le="([^"]+)")?\} (\d+)'
)


def collector_pauses(url: str) -> Pauses:
    """The server's garbage-collector pause histogram, from its GET /metrics."""
    try:
        with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
            text = response.read().decode()
    except OSError:
        return {}
    counts: dict[int, int] = {}
    short: dict[int, int] = {}
    for line in text.splitlines():
        found = _PAUSE_LINE.match(line)
        if found is None:
            continue
        kind, generation, bound, value = found.groups()
        if kind == "count":
            counts[int(generation)] = int(value)
        elif bound == "0.01":
            short[int(generation)] = int(value)
    return {g: (n, n - short.get(g, 0)) for g, n in counts.items()}
