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

from bench.adaptive.core import BenchConfig, exposure_control, side_by_side
from bench.adaptive.report import render

OUTPUT = Path("docs/benchmarks-adaptive.md")


def _catsim_version() -> str | None:
    try:
        return metadata.version("catsim")
    except metadata.PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> None:
    defaults = BenchConfig()
    parser = argparse.ArgumentParser(prog="python -m bench.adaptive", description=__doc__)
    parser.add_argument("--catsim-examinees", type=int, default=defaults.catsim_examinees)
    parser.add_argument("--exposure-examinees", type=int, default=defaults.exposure_examinees)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    catsim = _catsim_version()
    config = BenchConfig(
        catsim_examinees=args.catsim_examinees,
        exposure_examinees=args.exposure_examinees,
        include_catsim=catsim is not None,
    )
    began = time.perf_counter()
    side = side_by_side(config)
    exposure = exposure_control(config)
    elapsed = time.perf_counter() - began
    command = "uv run --group bench python -m bench.adaptive " + " ".join(sys.argv[1:])
    preamble = [
        f"- command: `{command.strip()}`",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC,"
        f" run time {elapsed:.0f} s",
        f"- numpy {np.__version__}, catsim {catsim or 'not installed'},"
        f" Python {platform.python_version()}, os.cpu_count() = {os.cpu_count()}",
        f"- banks: a ~ lognormal(0, 0.25), b ~ N(0, 1), c ~ U(0, 0.25), seed {config.seed} + size;"
        f" examinees theta ~ N(0, 1), one pre-drawn uniform per (examinee, item)",
        f"- side by side: the same {config.catsim_examinees} examinees for both engines"
        " (catsim is slow); exposure control: our engine on"
        f" {config.exposure_examinees} examinees, Sympson-Hetter calibrated on another"
        f" {config.exposure_examinees} ({config.calibration_rounds} rounds, target"
        f" {config.calibration_target}); catsim r_max on the {config.catsim_examinees}",
        "- ms/step: mean wall time of select + update (catsim: stopper + selector + estimator)",
    ]
    report = render(config, side, exposure, preamble)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
