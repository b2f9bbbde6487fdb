"""The command line of `python -m bench.morning`, and the morning it describes."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.morning.morning import MorningSettings
from bench.sections import todays_results

SCENARIOS = ("morning", "rate")


def parse(argv: list[str] | None, description: str = "") -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.morning",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--scenarios", default="morning,rate", help="comma-separated: morning, rate")
    add("--candidates", default="1000,2000,5000,10000", help="the N to step through")
    add("--all", action="store_true", help="run every N even after one is not sustained")
    add("--start-spread", type=float, default=10.0, help="seconds over which N start")
    add("--idle-seconds", type=float, default=10.0, help="all streams open, no saves")
    add("--save-seconds", type=float, default=45.0, help="seconds of saving")
    add("--save-every", type=float, default=15.0, help="mean seconds between saves")
    add("--reconnect-share", type=float, default=0.1)
    add("--expire-share", type=float, default=0.05)
    add("--deadline-margin", type=float, default=15.0,
        help="exam duration beyond the planned morning")  # fmt: skip
    add("--rate", type=float, default=1000.0, help="saves per second (rate scenario)")
    add("--rate-seconds", type=float, default=20.0, help="measured seconds at that rate")
    add("--rate-warmup", type=float, default=3.0)
    add("--rate-attempts", type=int, default=2000, help="attempts the saves go to")
    add("--server", choices=("uvicorn", "granian"), default="uvicorn",
        help="ASGI server of the service under test")  # fmt: skip
    add("--no-floor", dest="floor", action="store_false",
        help="skip the same morning against bench/morning/floor.py (the baseline)")  # fmt: skip
    add_questions_option(parser)
    add("--pool-size", type=int, default=20, help="HOURGLASS_DATABASE_POOL_SIZE")
    add("--database-url", help="postgresql://… instead of embedded")
    add("--redis-url", help="redis://… instead of embedded Valkey")
    add("--redis-key-prefix", help="default: hgmorning<random>")
    add("--output", type=Path, default=todays_results())
    add("--no-output", action="store_true", help="print only")
    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if unknown := set(args.scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.candidates = [int(n) for n in args.candidates.split(",") if n.strip()]
    return args


def add_questions_option(parser: argparse.ArgumentParser) -> None:
    """`--questions`, shared with the in-process bench."""
    parser.add_argument(
        "--questions", choices=("with-start", "separate"), default="with-start",
        help="the question list in the start's response (as the candidate page asks for"
        " it) or a request of its own",
    )  # fmt: skip


def questions_with_start(args: argparse.Namespace) -> bool:
    return bool(args.questions == "with-start")


def settings_from(args: argparse.Namespace) -> MorningSettings:
    return MorningSettings(
        start_spread=args.start_spread, idle_seconds=args.idle_seconds,
        save_seconds=args.save_seconds, save_every=args.save_every,
        save_jitter=args.save_every / 3, reconnect_share=args.reconnect_share,
        expire_share=args.expire_share, deadline_margin=args.deadline_margin,
        submit_spread=min(3.0, args.save_every), final_wait=min(15.0, 2 + args.save_every),
        questions_with_start=questions_with_start(args),
    )  # fmt: skip
