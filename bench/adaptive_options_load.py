"""The adaptive bench exam with every engine option on (`python -m bench
--adaptive-options all`): estimator MLE, 4PL items, content targets, Sympson-Hetter
exposure computed by simulation, enemies, pretest items and an SPRT classification.

Tests still run their full length (min_items = max_items holds back the SPRT stop and
the SE target), so the load replays as many responses as with the plain exam.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adaptive_simulation import calibrate_sympson_hetter, draw_examinees
from domain.adaptive import AdaptiveEngine, EngineSettings, ItemBank

AREAS = ("algebra", "geometry", "statistics", "calculus")
SHARES = {"algebra": 0.4, "geometry": 0.3, "statistics": 0.2, "calculus": 0.1}
PRETEST_ITEMS = 20
PRETEST_COUNT = 5
ENEMY_GROUPS = 40
R_MAX = 0.2
# Enough to settle the parameters of a 500-item bank in a few seconds.
CALIBRATION_EXAMINEES, CALIBRATION_ROUNDS = 400, 6


def with_all_options(body: dict[str, Any], *, seed: int = 2024) -> dict[str, Any]:
    """`body` (bench/adaptive_load.exam_body) with every option of `adaptive` set."""
    rng = np.random.default_rng(seed + 1)
    questions = [dict(q) for q in body["questions"]]
    for n, question in enumerate(questions):
        question["content_area"] = AREAS[n % len(AREAS)]
        d = round(float(rng.uniform(0.95, 1.0)), 4)
        question["irt"] = {**question["irt"], "d": d}
    ids = [q["id"] for q in questions]
    pretest = ids[-PRETEST_ITEMS:]
    operational = ids[:-PRETEST_ITEMS]
    shuffled = rng.permutation(len(operational))
    enemies = [
        [operational[int(i)] for i in shuffled[3 * g : 3 * g + 3]] for g in range(ENEMY_GROUPS)
    ]
    rules = dict(body["adaptive"])
    rules.update(
        estimator="mle",
        model="4pl",
        content_targets=SHARES,
        enemies=enemies,
        pretest={"item_ids": pretest, "count": PRETEST_COUNT},
        classification={"cut": 0.0, "indifference": 0.3, "alpha": 0.05, "beta": 0.05},
    )
    rules["exposure"] = _sympson_hetter(questions, rules, pretest)
    return {**body, "questions": questions, "adaptive": rules}


def _sympson_hetter(
    questions: list[dict[str, Any]], rules: dict[str, Any], pretest: list[str]
) -> dict[str, Any]:
    """Parameters for R_MAX, by simulation on the operational items under these rules."""
    kept = [q for q in questions if q["id"] not in pretest]
    bank = ItemBank.from_parameters(
        item_ids=[q["id"] for q in kept],
        a=[q["irt"]["a"] for q in kept],
        b=[q["irt"]["b"] for q in kept],
        c=[q["irt"]["c"] for q in kept],
        d=[q["irt"]["d"] for q in kept],
        content_areas=[q["content_area"] for q in kept],
    )
    settings = EngineSettings(
        max_items=rules["max_items"],
        min_items=rules["min_items"],
        # EAP, not the exam's MLE: the items chosen hardly differ, and MLE's Newton steps
        # would make this take minutes instead of seconds.
        content_targets=SHARES,
        enemies=tuple(tuple(map(bank.index_of, g)) for g in rules["enemies"]),
    )
    examinees = draw_examinees(CALIBRATION_EXAMINEES, bank.size, seed=7)
    parameters = calibrate_sympson_hetter(
        AdaptiveEngine(bank, settings), examinees, max_exposure=R_MAX, rounds=CALIBRATION_ROUNDS
    )
    held = {i: round(k, 4) for i, k in zip(bank.item_ids, parameters, strict=True) if k < 1}
    return {"method": "sympson_hetter", "k": 1, "r_max": R_MAX, "parameters": held}
