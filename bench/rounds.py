"""Interleaved rounds: the ratio targets measured as many short, alternating pairs.

This machine's speed drifts within minutes (a save's server CPU went from 0.26 to
0.21 ms between two runs of the same code, docs/benchmarks.md), so one long run of
each side can land in different speed phases and decide a ratio near its target by
luck. In a round both sides run back to back
on servers that are already up and primed, the side that goes first alternates from
round to round, and the verdict is the median of the rounds' ratios, shown with the
lowest and highest.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from bench.loadgen import WrkResult


@dataclass(frozen=True, slots=True)
class Comparison:
    """One ratio: `ratio(measured, baseline)`, against `target` when it has one: a floor,
    or a ceiling when `at_most` (a cost, such as CPU per request)."""

    name: str
    measured: str
    baseline: str
    target: float | None
    ratio: Callable[[WrkResult, WrkResult], float | None]
    shown_as: Callable[[float], str]
    at_most: bool = False

    def meets(self, ratio: float) -> bool:
        assert self.target is not None
        return ratio <= self.target if self.at_most else ratio >= self.target


def _throughput(measured: WrkResult, baseline: WrkResult) -> float | None:
    return measured.rps / baseline.rps if baseline.rps else None


def _cpu_per_request(measured: WrkResult, baseline: WrkResult) -> float | None:
    """Server CPU per request of two workers over one's. On 2 cores a throughput ratio of
    two workers measures the machine; what the workers add to each request does not."""
    one, two = baseline.server_cpu_per_request_ms, measured.server_cpu_per_request_ms
    return two / one if one and two else None


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def _times(value: float) -> str:
    return f"{value:.2f}×"


REMAINING = Comparison(
    "remaining time vs hello world", "remaining", "hello", 0.60, _throughput, _percent
)
ADAPTIVE = Comparison(
    "adaptive response vs save answer", "adaptive", "save", 0.80, _throughput, _percent
)
TWO_WORKERS = Comparison(
    "save answer, CPU per save of 2 workers vs 1", "2 workers", "1 worker", 1.25,
    _cpu_per_request, _times, at_most=True,
)  # fmt: skip
# What the machine allows two workers: the framework alone, no database, same measure.
HELLO_TWO_WORKERS = Comparison(
    "hello world, CPU per request of 2 workers vs 1", "2 workers", "1 worker", None,
    _cpu_per_request, _times, at_most=True,
)  # fmt: skip
COMPARISONS = (REMAINING, ADAPTIVE, TWO_WORKERS, HELLO_TWO_WORKERS)


@dataclass(slots=True)
class RoundPair:
    """Both sides of one comparison in one round."""

    measured: WrkResult
    baseline: WrkResult


def rounds_table(rounds: dict[str, list[RoundPair]], seconds: float) -> str:
    """The markdown table: every round's ratio, the median, the range, the verdict."""
    if not rounds:
        return ""
    lines = [
        f"Interleaved rounds ({seconds:.0f} s a side, the side going first alternating;"
        " verdict on the median):",
        "",
        "| comparison | rounds (measured / baseline req/s) | median | lowest – highest"
        " | rounds at target | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for comparison in COMPARISONS:
        pairs = rounds.get(comparison.name)
        if not pairs:
            continue
        ratios = [comparison.ratio(pair.measured, pair.baseline) for pair in pairs]
        known = [ratio for ratio in ratios if ratio is not None]
        shown = "; ".join(
            f"{'?' if ratio is None else comparison.shown_as(ratio)}"
            f" ({pair.measured.rps:,.0f} / {pair.baseline.rps:,.0f})"
            for ratio, pair in zip(ratios, pairs, strict=True)
        )
        if not known:
            lines.append(f"| {comparison.name} | {shown} | ? | ? | ? | — | — |")
            continue
        median = statistics.median(known)
        spread = f"{comparison.shown_as(min(known))} – {comparison.shown_as(max(known))}"
        target, at_target, met = "—", "—", "—"
        if comparison.target is not None:
            bound = "≤" if comparison.at_most else "≥"
            target = f"{bound} {comparison.shown_as(comparison.target)}"
            at_target = f"{sum(comparison.meets(r) for r in known)} of {len(known)}"
            met = "yes" if comparison.meets(median) else "**no**"
        lines.append(
            f"| {comparison.name} | {shown} | {comparison.shown_as(median)} | {spread}"
            f" | {at_target} | {target} | {met} |"
        )
    return "\n".join(lines)
