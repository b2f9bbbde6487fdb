"""How long the event loop stalls while a calibration job fits, in a thread (as the
worker runs it) against inline on the loop (what the worker avoids).

    uv run --group bench python -m bench.calibration_loop_lag [--items 40] [--examinees 5000]

A ticker on the loop sleeps 5 ms at a time and records how late each wake-up is, while
`fit_exam_responses` runs on a seeded fixed-form exam's response sheets (3PL). Prints the
fit's wall time and the ticker's lag (p50, p99, max) for both ways.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import numpy as np

from application.calibration_fit import fit_exam_responses
from bench.sections import command_line, publish, todays_results
from domain.calibration import ItemModel
from domain.calibration.job import CalibrationOutcome
from domain.calibration.stored_responses import ResponseSheet
from domain.exam import Exam, ExamMode, Option, Options, Question

TICK = 0.005


def _exam(items: int) -> Exam:
    options = Options((Option(key="A", text="right"), Option(key="B", text="wrong")))
    questions = tuple(
        Question(id=f"i{n}", stem="?", options=options, correct_key="A") for n in range(items)
    )
    return Exam(id=uuid4(), title="bench", mode=ExamMode.FIXED,
                duration=timedelta(hours=1), questions=questions)  # fmt: skip


def _sheets(exam: Exam, examinees: int) -> list[ResponseSheet]:
    rng = np.random.default_rng(7)
    items = len(exam.questions)
    a, b = rng.lognormal(0, 0.3, items), rng.normal(size=items)
    c = rng.uniform(0.05, 0.3, items)
    theta = rng.normal(size=(examinees, 1))
    right = rng.random((examinees, items)) < c + (1 - c) / (1 + np.exp(-a * (theta - b)))
    ids = [q.id for q in exam.questions]
    return [
        ResponseSheet(
            attempt_id=uuid4(),
            answers={i: "A" if r else "B" for i, r in zip(ids, row, strict=True)},
        )
        for row in right
    ]


async def _measure(run: Callable[[], object]) -> tuple[float, list[float]]:
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            lags.append(time.perf_counter() - before - TICK)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    result = run()
    if asyncio.iscoroutine(result):
        await result
    took = time.perf_counter() - started
    done.set()
    await task
    return took, lags


async def _both(exam: Exam, sheets: list[ResponseSheet]) -> list[str]:
    def inline() -> CalibrationOutcome:
        return fit_exam_responses(exam, sheets, ItemModel.THREE_PL)

    async def threaded() -> CalibrationOutcome:
        return await asyncio.to_thread(fit_exam_responses, exam, sheets, ItemModel.THREE_PL)

    rows = []
    for name, run in (("thread (the worker)", threaded), ("inline on the loop", inline)):
        took, lags = await _measure(run)
        ms = sorted(lag * 1000 for lag in lags) or [0.0]
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        rows.append(
            f"| {name} | {took:.2f} | {len(lags)} | {statistics.median(ms):.1f} | {p99:.1f} "
            f"| {ms[-1]:.0f} |"
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--examinees", type=int, default=5000)
    args = parser.parse_args(argv)
    exam = _exam(args.items)
    sheets = _sheets(exam, args.examinees)
    rows = asyncio.run(_both(exam, sheets))
    section = "\n".join([
        f"### Calibration fit and the event loop ({args.items} items x {args.examinees} "
        "examinees, 3PL)",
        "",
        f"`{command_line('bench.calibration_loop_lag', argv)}`",
        "",
        f"| fit | wall s | ticks ({TICK * 1000:.0f} ms) | lag p50 ms | lag p99 ms | lag max ms |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ])  # fmt: skip
    publish(section, todays_results())


if __name__ == "__main__":
    main()
