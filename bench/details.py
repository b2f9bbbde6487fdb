"""The lines under the table: every run's raw figures, the footprint, the profiles."""

from __future__ import annotations

from bench.config import SERVER
from bench.loadgen import WrkResult
from bench.report import Results


def _run_line(key: str, result: WrkResult) -> str:
    lat = result.latency_ms
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(result.statuses.items()))
    cpu = result.server_cpu_per_request_ms
    server = f", server CPU {cpu:.2f} ms/req" if cpu is not None else ""
    return (
        f"- `{key}`: {result.requests} requests in {result.seconds:.1f} s = {result.rps:,.0f}/s;"
        f" latency p50 {lat['p50']:.1f}, p90 {lat['p90']:.1f}, p99 {lat['p99']:.1f},"
        f" max {lat['max']:.1f} ms; statuses {{{statuses}}}; socket errors"
        f" {result.socket_errors}{server}; wrk CPU {result.generator_cpu_seconds:.1f} s"
        f" ({100 * result.generator_share:.0f} % of the machine); machine busy"
        f" {100 * result.machine_busy:.0f} %"
    )


def render_details(results: Results) -> str:
    lines = ["### Runs", ""]
    lines += [_run_line(key, result) for key, result in results.wrk.items()]
    for clients, pg in sorted(results.pgbench.items()):
        lines.append(
            f"- `pgbench/{clients}c`: {pg.transactions} transactions, {pg.tps:,.0f} tx/s,"
            f" latency avg {pg.latency_ms:.2f} ms"
            + (f", p50 {pg.p50_ms:.1f}, p99 {pg.p99_ms:.1f} ms" if pg.p99_ms is not None else "")
            + f", failed {pg.failed}; pgbench CPU"
            f" {pg.generator_cpu_seconds:.1f} s ({100 * pg.generator_share:.0f} % of the machine)"
        )
    if results.redis_bench is not None:
        rb = results.redis_bench
        p50 = f", p50 {rb.p50_ms:.2f} ms" if rb.p50_ms is not None else ""
        lines.append(f"- `redis-benchmark GET/{rb.clients}c`: {rb.rps:,.0f} req/s{p50}")
    if results.footprint is not None:
        fp = results.footprint
        kinds = ", ".join(f"`{kind}`: {n}" for kind, n in sorted(fp.key_kinds.items()))
        delta = (
            f"; INFO used_memory grew {fp.used_memory_delta:.0f} B per started attempt"
            " (includes the main dict and expiry entries MEMORY USAGE leaves out)"
            if fp.used_memory_delta is not None
            else ""
        )
        lines += [
            "",
            "### Redis footprint",
            "",
            f"- keys under the prefix by kind: {kinds}",
            f"- per attempt: own keys {fp.per_attempt_keys:.1f} B, deadline-index share"
            f" {fp.per_attempt_index:.1f} B ({fp.index_members} index members){delta}",
        ]
    if results.adaptive_footprint is not None:
        fp = results.adaptive_footprint
        kinds = ", ".join(f"`{kind}`: {n}" for kind, n in sorted(fp.key_kinds.items()))
        lines.append(
            f"- adaptive attempts: own keys {fp.per_attempt_keys:.1f} B (hot state + `cat` engine"
            f" state), deadline-index share {fp.per_attempt_index:.1f} B, over {fp.attempts}"
            f" attempts; keys under the prefix then: {kinds}"
        )
    if results.rss:
        rss = ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in results.rss.items())
        lines.append(f"- API RSS (1 {SERVER} worker): {rss}")
    for name, summary in results.profiles.items():
        lines += ["", f"### Profile: {name} ({summary.samples} samples, py-spy)", ""]
        lines += [
            "| where the CPU time goes (innermost library or our code) | share |",
            "|---|---|",
        ]
        lines += [f"| {label} | {100 * share:.1f} % |" for label, share in summary.by_library]
        lines += ["", "| inclusive (anywhere on the stack) | share |", "|---|---|"]
        lines += [f"| {label} | {100 * share:.1f} % |" for label, share in summary.inclusive]
        lines += ["", "| top functions (self time) | share |", "|---|---|"]
        lines += [f"| `{name}` | {100 * share:.1f} % |" for name, share in summary.top_functions]
    if results.notes:
        lines += ["", "### Notes", ""] + [f"- {note}" for note in results.notes]
    return "\n".join(lines)
