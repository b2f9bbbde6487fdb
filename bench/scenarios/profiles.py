"""py-spy profiles of the save, remaining-time and adaptive-response paths, each on a
fresh server primed like the measured one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.profiles import summarise
from bench.scenarios.adaptive import adaptive_load_for
from bench.scenarios.context import BenchContext
from bench.servers import HOURGLASS_FACTORY, ServiceProcess, attached_profiler, py_spy


def fixed_form_profiles(bench: BenchContext, save: Path, remaining: Path) -> None:
    if not Path(py_spy()).exists():
        bench.note("profiles skipped: no py-spy in the bench environment")
        return
    cfg = bench.config
    for name, requests, conns in (
        ("save answer", save, cfg.connections[0]),
        ("remaining time", remaining, cfg.read_connections),
    ):
        with bench.service(f"profile-{name.split()[0]}", HOURGLASS_FACTORY) as target:
            # As warm as the measured server: every token and timer seen once.
            bench.prime(target, remaining)
            bench.warm(target, requests, conns)
            load = bench.unrecorded(target, requests, conns, seconds=cfg.profile_seconds)
            _profile(bench, name, target, load)


def adaptive_profile(bench: BenchContext, main: ServiceProcess) -> None:
    """Adaptive responses on a fresh, primed server under py-spy, over attempts of their
    own (the measured run leaves its attempts at rounds nobody tracks)."""
    if not Path(py_spy()).exists():
        return
    seconds = bench.config.profile_seconds
    adaptive = adaptive_load_for(bench, main, "p", seconds)
    if adaptive is None:
        bench.note("profile of adaptive responses skipped: no attempt")
        return
    with bench.service("profile-adaptive", HOURGLASS_FACTORY) as target:
        bench.prime(target, adaptive.next_items)  # tokens seen, engine built, states cached
        conns = bench.config.connections[0]
        load = bench.unrecorded(target, adaptive.responses, conns, seconds=seconds,
                                once=True, threads=adaptive.threads)  # fmt: skip
        _profile(bench, "adaptive response", target, load)


def _profile(
    bench: BenchContext, name: str, target: ServiceProcess, load: Callable[[], object]
) -> None:
    """py-spy on `target` while `load` runs; the summary is kept as the profile `name`."""
    directory = bench.config.profile_dir or bench.scratch
    directory.mkdir(parents=True, exist_ok=True)
    output = directory / f"profile-{name.split(maxsplit=1)[0]}.speedscope.json"
    try:
        with attached_profiler(target.pid, output, bench.config.profile_seconds):
            load()
    except RuntimeError as error:
        bench.note(f"profile of {name} skipped: {error}")
        return
    bench.results.profiles[name] = summarise(output)
