"""Enemies and content targets under Sympson-Hetter, checked on every simulated test.

A test meets its content targets when every area's count is within one item of its
share of the test's length; it keeps its enemies apart when no two items of one group
were given. Sympson-Hetter is calibrated under the same constraints, on other examinees.
"""

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from adaptive_simulation import calibrate_sympson_hetter, draw_examinees, generate_bank, summarize
from adaptive_simulation.simulation import simulate
from domain.adaptive import AdaptiveEngine, EngineSettings, information

AREAS = ("algebra", "geometry", "statistics", "calculus")
SHARES = {"algebra": 0.4, "geometry": 0.3, "statistics": 0.2, "calculus": 0.1}


@dataclass(frozen=True, slots=True, kw_only=True)
class ConstraintConfig:
    bank_size: int = 5000
    examinees: int = 2000
    # Groups of 3 among the items most informative at theta = 0 (they would be given
    # together without the rule), and as many more drawn from the whole bank.
    enemy_groups: int = 100
    r_max: float = 0.17
    rounds: int = 8
    seed: int = 2024


@dataclass(frozen=True, slots=True, kw_only=True)
class ConstraintRow:
    test: str
    tests: int
    content_met: int
    enemies_kept: int
    max_exposure: float
    rmse: float
    mean_length: float


def constraint_study(
    config: ConstraintConfig, designs: dict[str, EngineSettings]
) -> list[ConstraintRow]:
    bank = generate_bank(config.bank_size, seed=config.seed + config.bank_size, content_areas=AREAS)
    rng = np.random.default_rng(config.seed + 5)
    informative = np.argsort(-information(0.0, bank.a, bank.b, bank.c, bank.d))
    top = rng.permutation(informative[: 3 * config.enemy_groups])
    anywhere = rng.permutation(bank.size)[: 3 * config.enemy_groups]
    groups = [tuple(int(i) for i in top[3 * g : 3 * g + 3]) for g in range(config.enemy_groups)]
    groups += [
        tuple(int(i) for i in anywhere[3 * g : 3 * g + 3]) for g in range(config.enemy_groups)
    ]
    groups = [g for g in groups if len(set(g)) == 3]
    evaluation = draw_examinees(config.examinees, bank.size, seed=config.seed + 6)
    calibration = draw_examinees(config.examinees, bank.size, seed=config.seed + 7)
    rows = []
    for label, design in designs.items():
        settings = replace(design, content_targets=SHARES, enemies=tuple(groups))
        engine = AdaptiveEngine(bank, settings)
        parameters = calibrate_sympson_hetter(
            engine, calibration, max_exposure=config.r_max, rounds=config.rounds
        )
        controlled = engine.with_settings(replace(settings, sympson_hetter=parameters))
        result = simulate(controlled, evaluation)
        areas = bank.content_areas or ()
        content_met = enemies_kept = 0
        for items in result.administered:
            counts = Counter(areas[i] for i in items)
            n = len(items)
            content_met += all(abs(counts[a] - share * n) < 1 for a, share in SHARES.items())
            given = set(items)
            enemies_kept += all(len(given.intersection(g)) <= 1 for g in groups)
        metrics = summarize(result)
        rows.append(
            ConstraintRow(
                test=label,
                tests=len(result.administered),
                content_met=content_met,
                enemies_kept=enemies_kept,
                max_exposure=metrics.max_exposure,
                rmse=metrics.rmse,
                mean_length=metrics.mean_length,
            )
        )
    return rows
