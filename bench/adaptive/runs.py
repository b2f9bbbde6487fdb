"""One simulated administration per examinee, timed step by step, for either engine.

Both runners answer from the same pre-drawn uniforms: examinee i answers item j correctly
when ``uniforms[i, j] < P_j(theta_i)``, so the engines see identical response luck.
"""

import time
from dataclasses import dataclass

import numpy as np

from domain.adaptive import (
    AdaptiveEngine,
    ItemBank,
    SimulatedExaminees,
    SimulationResult,
    StopReason,
    probability,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimedRun:
    """A simulation result and the mean wall time of one select + update step."""

    result: SimulationResult
    ms_per_step: float


class RunCollector:
    """Per-examinee outcomes and step timings gathered while a runner loops."""

    def __init__(self, examinees: SimulatedExaminees, bank: ItemBank, max_items: int) -> None:
        self.examinees, self.bank = examinees, bank
        self.trajectory = np.full((examinees.count, max_items), np.nan)
        self.estimate = np.zeros(examinees.count)
        self.se = np.zeros(examinees.count)
        self.administered: list[tuple[int, ...]] = []
        self.reasons: list[StopReason | None] = []
        self.seconds, self.steps = 0.0, 0

    def answers(self, i: int) -> np.ndarray:
        bank = self.bank
        p = probability(self.examinees.true_theta[i], bank.a, bank.b, bank.c, bank.d)
        return np.asarray(self.examinees.uniforms[i] < p)

    def finish(self) -> TimedRun:
        result = SimulationResult(
            true_theta=self.examinees.true_theta,
            estimate=self.estimate,
            se=self.se,
            length=np.array([len(items) for items in self.administered], dtype=np.intp),
            administered=tuple(self.administered),
            stop_reasons=tuple(self.reasons),
            trajectory=self.trajectory,
            bank_size=self.bank.size,
        )
        return TimedRun(result=result, ms_per_step=1e3 * self.seconds / max(self.steps, 1))


def run_ours(engine: AdaptiveEngine, examinees: SimulatedExaminees) -> TimedRun:
    """Administer with our engine; a step is ``next_item`` plus ``record``."""
    collect = RunCollector(examinees, engine.bank, engine.settings.max_items)
    clock = time.perf_counter
    for i in range(examinees.count):
        correct = collect.answers(i).tolist()
        state = engine.start(attempt_seed=i)
        while True:
            began = clock()
            item = engine.next_item(state)
            if item is None:
                collect.seconds += clock() - began
                break
            state = engine.record(state, item, correct[item])
            collect.seconds += clock() - began
            collect.steps += 1
            collect.trajectory[i, state.items_administered - 1] = state.theta
        collect.estimate[i], collect.se[i] = state.theta, state.se
        collect.administered.append(state.administered)
        collect.reasons.append(state.stop_reason)
    return collect.finish()
