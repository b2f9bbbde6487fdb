"""Classification tests: SPRT against the fixed-length test of the same accuracy.

Examinees theta ~ N(0, 1), cut 0. For each indifference half-width the SPRT (items most
informative at the cut, alpha = beta = 0.05) runs on every examinee; its accuracy is the
share of correct decisions among those outside the indifference region, an undecided
test (it hit max_items) counting as wrong. The fixed-length test gives everyone the L
items most informative at the cut and decides by EAP theta >= cut; it is run once at
the longest length, its estimate after each item giving every shorter L, and the
shortest L whose accuracy reaches the SPRT's is the comparison.
"""

from dataclasses import dataclass

import numpy as np

from adaptive_simulation import draw_examinees, generate_bank, simulate
from domain.adaptive import AdaptiveEngine, EngineSettings, probability
from domain.adaptive.classification import Classification, SprtRule


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassificationConfig:
    bank_size: int = 500
    examinees: int = 3000
    indifferences: tuple[float, ...] = (0.2, 0.3, 0.4, 0.5)
    max_items: int = 80
    fixed_max: int = 150
    alpha: float = 0.05
    beta: float = 0.05
    seed: int = 2024


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassificationRow:
    indifference: float
    outside: int  # examinees outside the indifference region
    accuracy: float
    undecided: float  # share of all examinees
    mean_length: float
    fixed_length: int | None  # None: no L up to fixed_max reaches the SPRT's accuracy
    fixed_accuracy: float  # at fixed_length (or fixed_max)

    @property
    def length_ratio(self) -> float | None:
        return None if self.fixed_length is None else self.mean_length / self.fixed_length


def classification_study(config: ClassificationConfig) -> list[ClassificationRow]:
    bank = generate_bank(config.bank_size, seed=config.seed + config.bank_size)
    examinees = draw_examinees(config.examinees, bank.size, seed=config.seed + 4)
    theta = examinees.true_theta
    passes = theta >= 0.0
    rows = []
    for delta in config.indifferences:
        rule = SprtRule(cut=0.0, indifference=delta, alpha=config.alpha, beta=config.beta)
        sprt = AdaptiveEngine(bank, EngineSettings(max_items=config.max_items, classification=rule))
        decisions, lengths = _run_sprt(sprt, examinees.uniforms, theta)
        outside = np.abs(theta) > delta
        right = np.where(passes, decisions == "pass", decisions == "fail")
        accuracy = float(right[outside].mean())
        fixed = AdaptiveEngine(
            bank,
            EngineSettings(
                max_items=config.fixed_max, min_items=config.fixed_max, classification=rule
            ),
        )
        trajectory = simulate(fixed, examinees).trajectory
        by_length = [
            float(((trajectory[:, k] >= 0.0) == passes)[outside].mean())
            for k in range(config.fixed_max)
        ]
        reached = next((k + 1 for k, a in enumerate(by_length) if a >= accuracy), None)
        rows.append(
            ClassificationRow(
                indifference=delta,
                outside=int(outside.sum()),
                accuracy=accuracy,
                undecided=float((decisions == "undecided").mean()),
                mean_length=float(lengths.mean()),
                fixed_length=reached,
                fixed_accuracy=by_length[(reached or config.fixed_max) - 1],
            )
        )
    return rows


def _run_sprt(
    engine: AdaptiveEngine, uniforms: np.ndarray, theta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    bank = engine.bank
    decisions, lengths = [], []
    for i, true_theta in enumerate(theta):
        correct = (uniforms[i] < probability(true_theta, bank.a, bank.b, bank.c, bank.d)).tolist()
        state = engine.start(attempt_seed=i)
        while (item := engine.next_item(state)) is not None:
            state = engine.record(state, item, correct[item])
        decision = engine.classification(state) or Classification.UNDECIDED
        decisions.append(decision.value)
        lengths.append(state.items_administered)
    return np.array(decisions), np.array(lengths)
