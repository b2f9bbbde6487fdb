"""The morning and rate scenarios' markdown tables."""

from __future__ import annotations

import argparse
import datetime
import os
import platform

from bench.morning.morning import MorningResult
from bench.morning.open_loop import RateResult
from bench.morning.record import milliseconds as ms
from bench.scenarios.environment import Environment

MORNING_COLUMNS = (
    "candidates", "start p50 / p99", "questions p99", "save p50 / p99", "saves",
    "submit p50 / p99", "errors", "final status received", "RSS per open stream",
    "idle streams' server CPU", "start ramp: server CPU per candidate (floor)", "sustained",
)  # fmt: skip
RATE_COLUMNS = (
    "rate asked", "achieved", "attempts", "p50", "p99", "p99.9", "max", "errors",
    "server CPU per save", "connections opened", "target", "met",
)  # fmt: skip


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _head(columns: tuple[str, ...]) -> list[str]:
    return [_row(columns), "|" + "---|" * len(columns)]


def morning_row(m: MorningResult) -> str:
    r = m.recorder
    idle = f"{100 * m.idle_cores:.1f} % of a core ({m.idle_ms_per_thousand:.1f} ms/s per 1,000)"
    return _row([
        f"{m.candidates:,}",
        f"{ms(r.percentile('start', 50))} / {ms(r.percentile('start', 99))}",
        ms(r.percentile("questions", 99)) if r.count("questions") else "in the start",
        f"{ms(r.percentile('save', 50))} / {ms(r.percentile('save', 99))}",
        f"{r.count('save'):,}",
        f"{ms(r.percentile('submit', 50))} / {ms(r.percentile('submit', 99))}",
        f"{r.error_count:,}",
        f"{m.finals:,} of {m.candidates:,}",
        f"{m.rss_per_stream / 1024:.1f} KiB",
        idle,
        _ramp(m),
        "yes" if m.sustained() else "**no**",
    ])  # fmt: skip


def _ramp(m: MorningResult) -> str:
    ramp = f"{1000 * m.ramp_per_candidate:.2f} ms"
    if m.floor is None:
        return ramp
    floor = m.floor.ramp_per_candidate
    return f"{ramp} ({1000 * floor:.2f} ms; {m.ramp_per_candidate / max(floor, 1e-9):.1f}×)"


def morning_table(results: list[MorningResult]) -> str:
    return "\n".join([*_head(MORNING_COLUMNS), *(morning_row(m) for m in results)])


def morning_details(results: list[MorningResult]) -> str:
    lines = []
    for m in results:
        lines.append(
            f"- N = {m.candidates:,}: every stream open {m.ready_after:.1f} s after the first"
            f" start, the server spending {m.start_server_cpu:.1f} CPU s"
            f" ({1000 * m.ramp_per_candidate:.2f} ms a candidate) on"
            f" them ({m.open_at_idle:,} open in the idle phase); {m.reconnects:,} reconnected"
            f" their stream once, {m.expirers:,} let the deadline pass; {m.resent:,} requests"
            f" resent on a new connection (the server closed the kept one under them); server RSS"
            f" {m.rss_before / 2**20:.0f} → {m.rss_idle / 2**20:.0f} MiB; idle phase"
            f" {m.idle_seconds:.1f} s: server {m.idle_server_cpu:.2f} CPU s, generator"
            f" {m.idle_client_cpu:.2f} CPU s; whole morning {m.elapsed:.0f} s: server"
            f" {m.server_cpu:.1f} CPU s, generator {m.client_cpu:.1f} CPU s; errors:"
            f" {m.recorder.error_summary()}" + "".join(f"; {n}" for n in m.notes)
        )
        if m.floor is not None:
            lines.append(_floor_details(m.floor))
    return "\n".join(lines)


def _floor_details(f: MorningResult) -> str:
    r = f.recorder
    return (
        f"- the same N against the floor (bench/morning/floor.py): start p50 / p99"
        f" {ms(r.percentile('start', 50))} / {ms(r.percentile('start', 99))}, save p99"
        f" {ms(r.percentile('save', 99))}, submit p99 {ms(r.percentile('submit', 99))};"
        f" every stream open {f.ready_after:.1f} s after the first start, the server spending"
        f" {f.start_server_cpu:.1f} CPU s ({1000 * f.ramp_per_candidate:.2f} ms a candidate);"
        f" RSS per open stream {f.rss_per_stream / 1024:.1f} KiB; idle streams"
        f" {f.idle_ms_per_thousand:.1f} ms/s per 1,000; whole morning server"
        f" {f.server_cpu:.1f} CPU s;"
        f" {f.finals:,} of {f.candidates:,} final statuses; {f.resent:,} requests resent;"
        f" errors: {r.error_summary()};"
        f" sustained: {'yes' if f.sustained() else 'no'}"
    )


def rate_table(results: list[RateResult]) -> str:
    lines = _head(RATE_COLUMNS)
    for x in results:
        r = x.recorder
        per_save = x.server_cpu / max(1, r.count("save"))
        lines.append(_row([
            f"{x.rate:,.0f} /s", f"{x.achieved:,.0f} /s", f"{x.attempts:,}",
            ms(r.percentile("save", 50)), ms(r.percentile("save", 99)),
            ms(r.percentile("save", 99.9)), ms(r.percentile("save", 100)),
            f"{r.error_count:,}", f"{1000 * per_save:.2f} ms", f"{x.connections:,}",
            "p99 < 10 ms, p99.9 < 50 ms", "yes" if x.met() else "**no**",
        ]))  # fmt: skip
    return "\n".join(lines)


def rate_details(results: list[RateResult]) -> str:
    return "\n".join(
        f"- {x.rate:,.0f} saves/s for {x.seconds:.0f} s over {x.attempts:,} attempts:"
        f" {x.sent:,} sent, {x.recorder.count('save'):,} answered 200; the generator was at"
        f" worst {1000 * x.worst_send_lag:.1f} ms late sending; CPU over the measured part:"
        f" server {x.server_cpu:.1f} s, generator {x.client_cpu:.1f} s; errors:"
        f" {x.recorder.error_summary()}"
        for x in results
    )


_SERVERS = {"uvicorn": "uvicorn (uvloop, httptools)", "granian": "granian (uvloop)"}


def render_header(
    args: argparse.Namespace, command: str, elapsed: float, files: int, env: Environment
) -> str:
    now = datetime.datetime.now(datetime.UTC)
    pg = env.postgres
    return "\n".join(
        [
            f"## {now:%Y-%m-%d %H:%M} UTC — exam morning and fixed-rate saves (issue 19)",
            "",
            f"- command: `{command}`" if command else "- command: (called from Python)",
            f"- run time {elapsed:.0f} s; os.cpu_count() = {os.cpu_count()}; load average"
            f" {os.getloadavg()[0]:.1f} at the end; Python {platform.python_version()} on"
            f" {platform.machine()}; PostgreSQL {pg.get('server_version', '?')};"
            f" {env.redis_version}",
            f"- one {_SERVERS[args.server]} worker, pool size {args.pool_size}, a fresh service"
            f" per N; generator: one asyncio (uvloop) process, raw HTTP/1.1 over loopback"
            f" (bench/morning/http.py), open-file limit {files:,} for both",
            f"- morning: start within {args.start_spread:g} s, {args.idle_seconds:g} s idle with"
            f" every stream open, {args.save_seconds:g} s of saves every {args.save_every:g}"
            f" ± {args.save_every / 3:g} s, {100 * args.reconnect_share:g} % reconnect once,"
            f" {100 * args.expire_share:g} % let the deadline pass; sustained = save p99 < 100 ms,"
            f" start p99 < 500 ms, 0 errors, every final status; RSS per open stream = server RSS"
            f" growth from before the first start to the idle phase / open streams",
            "- start ramp: the server's CPU from the first start until every stream was open,"
            " per candidate; in brackets the same morning, same tokens, against the floor"
            " (bench/morning/floor.py: the same routes answered by Litestar from memory under"
            " the same server) and the service's multiple of it"
            if args.floor
            else "- start ramp: the server's CPU from the first start until every stream was"
            " open, per candidate (the floor was not run: --no-floor)",
            "",
        ]
    )
