"""`hourglass simulate --calibrate-exposure R_MAX`: Sympson-Hetter parameters by simulation,
written to a file and, for an exam, stored as a new exam (exams are immutable)."""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import click

from adaptive_simulation import calibrate_sympson_hetter, draw_examinees
from application.identity import Actor, Role
from application.use_cases.create_exam import CreateExamCommand
from domain.adaptive import AdaptiveEngine
from domain.adaptive_options import ExposureMethod, ExposureRule
from domain.exam import Exam

# Each round simulates every examinee once; 8 rounds settle the rates (Sympson & Hetter).
DEFAULT_ROUNDS = 8


def calibrated_engine(
    engine: AdaptiveEngine, *, r_max: float, examinees: int, seed: int, rounds: int
) -> tuple[AdaptiveEngine, tuple[float, ...]]:
    """The engine under the parameters computed for `r_max`, and the parameters.

    Calibrated on examinees drawn from `seed + 1`, so the report that follows (drawn from
    `seed`) does not check the parameters on the examinees that made them.
    """
    drawn = draw_examinees(examinees, engine.bank.size, seed + 1)
    with click.progressbar(length=rounds, label="calibrating exposure", file=sys.stderr) as bar:
        parameters = calibrate_sympson_hetter(
            engine, drawn, max_exposure=r_max, rounds=rounds, on_round=lambda _: bar.update(1)
        )
    return _with(engine, parameters), parameters


def _with(engine: AdaptiveEngine, parameters: tuple[float, ...]) -> AdaptiveEngine:
    return engine.with_settings(dataclasses.replace(engine.settings, sympson_hetter=parameters))


def exposure_document(
    engine: AdaptiveEngine, r_max: float, parameters: tuple[float, ...]
) -> dict[str, Any]:
    """`adaptive.exposure` of an exam body: items held back (K < 1) only, others are K = 1."""
    return {
        "method": ExposureMethod.SYMPSON_HETTER.value,
        "k": engine.settings.exposure_k,
        "r_max": r_max,
        "parameters": {
            item_id: k
            for item_id, k in zip(engine.bank.item_ids, parameters, strict=True)
            if k < 1.0
        },
    }


def exam_with_exposure(exam: Exam, exposure: dict[str, Any]) -> CreateExamCommand:
    """A new exam like `exam` but for its Sympson-Hetter rule."""
    rules = exam.adaptive
    if rules is None:
        raise click.ClickException("that exam is not adaptive")
    rule = ExposureRule(
        method=ExposureMethod.SYMPSON_HETTER,
        k=exposure["k"],
        r_max=exposure["r_max"],
        parameters=exposure["parameters"],
    )
    return CreateExamCommand(
        actor=Actor(user_id="cli", role=Role.ADMIN),
        title=exam.title,
        mode=exam.mode,
        duration=exam.duration,
        questions=exam.questions,
        grace=exam.grace,
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
        max_attempts=exam.max_attempts,
        adaptive=dataclasses.replace(rules, exposure=rule),
        review=exam.review,
        shuffle_options=exam.shuffle_options,
    )
