"""``uv run --group bench python -m bench.adaptive``: run the benchmark, print and save it."""

import argparse
import datetime
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from bench.adaptive.classification import ClassificationConfig, classification_study
from bench.adaptive.constraints import ConstraintConfig, constraint_study
from bench.adaptive.core import BenchConfig, designs, exposure_control, side_by_side
from bench.adaptive.report import render
from bench.adaptive.report_issue20 import render_issue20

OUTPUT = Path("docs/benchmarks-adaptive.md")
# Everything from this heading on is written by hand and survives a rerun.
NOTES_HEADING = "## Notes (hand-written)"


def _catsim_version() -> str | None:
    try:
        return metadata.version("catsim")
    except metadata.PackageNotFoundError:
        return None


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def _notes(path: Path) -> str:
    """The hand-written section of the report already at ``path``, if any."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    start = text.find(NOTES_HEADING)
    return "" if start < 0 else text[start:]


def _preamble(
    config: BenchConfig, catsim: str | None, elapsed: float, loads: list[str]
) -> list[str]:
    few = min(config.catsim_exposure_examinees, config.catsim_examinees)
    command = "uv run --group bench python -m bench.adaptive " + " ".join(sys.argv[1:])
    return [
        f"- command: `{command.strip()}`",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC,"
        f" run time {elapsed:.0f} s",
        f"- numpy {np.__version__}, catsim {catsim or 'not installed'},"
        f" Python {platform.python_version()}, os.cpu_count() = {os.cpu_count()};"
        f" load average at the start {loads[0]}, at the end {loads[1]}",
        f"- banks: a ~ lognormal(0, 0.25), b ~ N(0, 1), c ~ U(0, 0.25), seed {config.seed} + size;"
        f" examinees theta ~ N(0, 1), one pre-drawn uniform per (examinee, item)",
        f"- side by side: the same {config.catsim_examinees} examinees and uniforms for both"
        f" engines; exposure control: our engine on {config.exposure_examinees} examinees,"
        f" Sympson-Hetter calibrated on another {config.exposure_examinees}"
        f" ({config.calibration_rounds} rounds, target {config.calibration_target});"
        f" catsim r_max on the first {few} side-by-side examinees",
        "- ms/step: wall time of select + update (catsim: stopper + selector + estimator),"
        " median and mean over all steps; our engine is timed alone, catsim afterwards in"
        f" {config.jobs} worker processes",
        "- 95 % intervals: paired bootstrap over examinees (2,000 resamples) of the RMSE ratio",
    ]


def main(argv: list[str] | None = None) -> None:
    defaults = BenchConfig()
    parser = argparse.ArgumentParser(prog="python -m bench.adaptive", description=__doc__)
    parser.add_argument("--catsim-examinees", type=int, default=defaults.catsim_examinees)
    parser.add_argument("--exposure-examinees", type=int, default=defaults.exposure_examinees)
    parser.add_argument("--jobs", type=int, default=defaults.jobs)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    catsim = _catsim_version()
    config = BenchConfig(
        catsim_examinees=args.catsim_examinees,
        exposure_examinees=args.exposure_examinees,
        jobs=args.jobs,
        include_catsim=catsim is not None,
    )
    loads = [_load()]
    began = time.perf_counter()
    side = side_by_side(config)
    exposure = exposure_control(config)
    sprt_config, constraint_config = ClassificationConfig(), ConstraintConfig()
    sprt = classification_study(sprt_config)
    constrained = constraint_study(constraint_config, designs(config))
    elapsed = time.perf_counter() - began
    loads.append(_load())
    report = render(config, side, exposure, _preamble(config, catsim, elapsed, loads))
    report += "\n" + render_issue20(sprt_config, sprt, constraint_config, constrained)
    notes = _notes(args.output)
    if notes:
        report = report + "\n" + notes
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
