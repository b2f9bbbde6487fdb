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
    """One ratio: `ratio(measured, baseline)`, against `target` when it has one."""

    name: str
    measured: str
    baseline: str
    target: float | None
    ratio: Callable[[WrkResult, WrkResult], float | None]
    shown_as: Callable[[float], str]


def _throughput(measured: WrkResult, baseline: WrkResult) -> float | None:
    return measured.rps / baseline.rps if baseline.rps else None


def _cpu_method(measured: WrkResult, baseline: WrkResult) -> float | None:
    """Two workers' capacity over one's from CPU per request: 2 × one's / two's."""
    one, two = baseline.server_cpu_per_request_ms, measured.server_cpu_per_request_ms
    return 2 * one / two if one and two else None


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
    "save answer, 2 workers vs 1 (CPU method)", "2 workers", "1 worker", 1.6, _cpu_method, _times
)
# What the machine allows two workers: the framework alone, no database, same method.
HELLO_TWO_WORKERS = Comparison(
    "hello world, 2 workers vs 1 (CPU method)", "2 workers", "1 worker", None, _cpu_method,
    _times,
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
            target = f"≥ {comparison.shown_as(comparison.target)}"
            at_target = f"{sum(r >= comparison.target for r in known)} of {len(known)}"
            met = "yes" if median >= comparison.target else "**no**"
        lines.append(
            f"| {comparison.name} | {shown} | {comparison.shown_as(median)} | {spread}"
            f" | {at_target} | {target} | {met} |"
        )
    return "\n".join(lines)
