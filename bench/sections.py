"""What the stand-alone benches share: the command line they print, and where it goes."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def command_line(module: str, argv: list[str] | None) -> str:
    """The command that repeats this run, as docs/benchmarks.md shows it."""
    words = argv if argv is not None else sys.argv[1:]
    return " ".join([f"uv run --group bench python -m {module}", *map(shlex.quote, words)])


def publish(section: str, output: Path | None) -> None:
    """Print `section`, and append it to `output` (docs/benchmarks.md) unless None."""
    print(section)
    if output is not None:
        with output.open("a") as out:
            out.write("\n" + section)
