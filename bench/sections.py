"""What the stand-alone benches share: the command line they print, and where it goes."""

from __future__ import annotations

import datetime
import shlex
import sys
from pathlib import Path

RESULTS = Path("bench/results")


def todays_results() -> Path:
    """The raw log of today's runs (UTC): docs/benchmarks.md keeps only what a reader needs."""
    return RESULTS / f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d}.md"


def command_line(module: str, argv: list[str] | None) -> str:
    """The command that repeats this run, as its dated section shows it."""
    words = argv if argv is not None else sys.argv[1:]
    return " ".join([f"uv run --group bench python -m {module}", *map(shlex.quote, words)])


def publish(section: str, output: Path | None) -> None:
    """Print `section`, and append it to `output` (today's bench/results file) unless None."""
    print(section)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("a") as out:
            out.write("\n" + section)
