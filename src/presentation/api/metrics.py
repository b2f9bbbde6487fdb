"""GET /metrics: request counts and latencies in Prometheus's text format.

Counted in process by a middleware that costs about a microsecond per request (two clock
reads and a few dictionary updates), so it can stay on for the hot paths; the
`prometheus_client` middleware costs ten times that. Scrape every process: each counts
its own requests. Other parts of the process (the sweeper loop) add their own lines.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, Response, get
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

# Seconds: from a cached timer read to a slow write under load.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# A Sample is (metric name, labels, value); a collector returns the lines of one family.
Sample = tuple[str, dict[str, str], float]


@dataclass(slots=True)
class _Route:
    buckets: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    total_seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Family:
    """One metric family for the exposition: its name, type, help text and samples."""

    name: str
    kind: str  # counter, gauge or histogram
    help: str
    samples: tuple[Sample, ...]


class HttpMetrics:
    """Per (method, route template): status counts and a latency histogram."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._routes: dict[tuple[str, str], _Route] = {}
        self._in_progress = 0
        self._collectors: list[Callable[[], Iterable[Family]]] = []

    def add_collector(self, collector: Callable[[], Iterable[Family]]) -> None:
        """Families computed at scrape time, e.g. by the sweeper loop of this process."""
        self._collectors.append(collector)

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = _Route()
        found.buckets[bisect.bisect_left(BUCKETS, seconds)] += 1
        found.total_seconds += seconds
        found.statuses[status] = found.statuses.get(status, 0) + 1

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Litestar middleware timing every routed HTTP request until its response starts
        (a stream is counted when it opens, not when it ends)."""

        async def timed(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            started = self._clock()
            responded = False

            async def sending(message: Message) -> None:
                nonlocal responded
                if message["type"] == "http.response.start" and not responded:
                    responded = True
                    self._done(scope, message["status"], started)
                await send(message)

            self._in_progress += 1
            try:
                await app(scope, receive, sending)
            except Exception as error:
                # Raised past us (e.g. a 401 from the authentication in front of the
                # handler): the response is sent further out, with the error's status.
                if not responded:
                    self._done(scope, getattr(error, "status_code", 500), started)
                raise
            finally:
                self._in_progress -= 1

        return timed

    def _done(self, scope: Scope, status: int, started: float) -> None:
        route = scope.get("path_template") or "unmatched"
        method = str(scope.get("method", "GET"))  # only HTTP scopes come here
        self.record(method, route, status, self._clock() - started)

    def families(self) -> list[Family]:
        counts: list[Sample] = []
        histogram: list[Sample] = []
        for (method, route), seen in sorted(self._routes.items()):
            labels = {"method": method, "route": route}
            for status, count in sorted(seen.statuses.items()):
                counts.append(("", {**labels, "status": str(status)}, count))
            histogram.extend(histogram_samples(labels, BUCKETS, seen.buckets, seen.total_seconds))
        families = [
            Family(
                "hourglass_http_requests_total",
                "counter",
                "HTTP requests answered, by method, route template and status.",
                tuple(counts),
            ),
            Family(
                "hourglass_http_request_duration_seconds",
                "histogram",
                "Time from the request to the start of its response.",
                tuple(histogram),
            ),
            Family(
                "hourglass_http_requests_in_progress",
                "gauge",
                "HTTP requests (and open streams) being served now.",
                (("", {}, self._in_progress),),
            ),
        ]
        for collector in self._collectors:
            families.extend(collector())
        return families


def histogram_samples(
    labels: dict[str, str], bounds: Sequence[float], counts: Sequence[int], total: float
) -> list[Sample]:
    """One histogram series: cumulative `_bucket`s over `bounds` (then +Inf) from the
    per-bucket `counts`, `_sum` and `_count`."""
    samples: list[Sample] = []
    cumulative = 0
    for bound, count in zip((*bounds, float("inf")), counts, strict=True):
        cumulative += count
        le = "+Inf" if bound == float("inf") else repr(bound)
        samples.append(("_bucket", {**labels, "le": le}, cumulative))
    samples.append(("_sum", labels, total))
    samples.append(("_count", labels, cumulative))
    return samples


def labelled_counter(name: str, help: str, label: str, counts: Mapping[str, int]) -> Family:
    """A counter family with one sample per value of `label` (e.g. per error class)."""
    samples = tuple(("", {label: key}, count) for key, count in sorted(counts.items()))
    return Family(name, "counter", help, samples)


@dataclass(slots=True)
class Histogram:
    """A histogram without labels over fixed `bounds`, for values observed in process."""

    bounds: tuple[float, ...]
    counts: list[int] = field(init=False)
    total: float = 0.0

    def __post_init__(self) -> None:
        self.counts = [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value

    def family(self, name: str, help: str) -> Family:
        samples = histogram_samples({}, self.bounds, self.counts, self.total)
        return Family(name, "histogram", help, tuple(samples))


def exposition(families: Iterable[Family]) -> str:
    """Prometheus text format 0.0.4."""
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {family.help}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for suffix, labels, value in family.samples:
            lines.append(f"{family.name}{suffix}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{name}="{_escaped(value)}"' for name, value in labels.items()) + "}"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


@get("/metrics", include_in_schema=True, tags=["operations"], media_type=CONTENT_TYPE)
async def metrics(request: Request[Any, Any, Any]) -> Response[str]:
    registry: HttpMetrics = request.app.state.http_metrics
    return Response(exposition(registry.families()), media_type=CONTENT_TYPE)
