"""One simulated administration per examinee, timed step by step, for either engine.

Both runners answer from the same pre-drawn uniforms: examinee i answers item j correctly
when ``uniforms[i, j] < P_j(theta_i)``, so the engines see identical response luck.
"""

import time
from dataclasses import dataclass

import numpy as np

from adaptive_simulation import SimulatedExaminees, SimulationResult
from domain.adaptive import AdaptiveEngine, ItemBank, StopReason, probability
from domain.adaptive.irt import FloatArray


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class TimedRun:
    """A simulation result and the wall time of every select + update step.

    A step is everything between two responses: the stopping check, the selection of
    the item and the update of the estimate after its response. The final check that
    ends a test is not a step of its own.
    """

    result: SimulationResult
    step_seconds: FloatArray

    @property
    def median_ms(self) -> float:
        """Median step time: what a step costs when the process has the CPU."""
        return 1e3 * float(np.median(self.step_seconds)) if self.step_seconds.size else 0.0

    @property
    def mean_ms(self) -> float:
        """Mean step time, including the steps another process or the GC interrupted."""
        return 1e3 * float(self.step_seconds.mean()) if self.step_seconds.size else 0.0


class RunCollector:
    """Per-examinee outcomes and step timings gathered while a runner loops."""

    def __init__(self, examinees: SimulatedExaminees, bank: ItemBank, max_items: int) -> None:
        self.examinees, self.bank = examinees, bank
        self.trajectory = np.full((examinees.count, max_items), np.nan)
        self.estimate = np.zeros(examinees.count)
        self.se = np.zeros(examinees.count)
        self.administered: list[tuple[int, ...]] = []
        self.reasons: list[StopReason | None] = []
        self.step_seconds: list[float] = []

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
        return TimedRun(result=result, step_seconds=np.array(self.step_seconds))


def run_ours(engine: AdaptiveEngine, examinees: SimulatedExaminees) -> TimedRun:
    """Administer with our engine; a step is ``next_item`` plus ``record``."""
    collect = RunCollector(examinees, engine.bank, engine.settings.max_items)
    clock, steps = time.perf_counter, collect.step_seconds
    for i in range(examinees.count):
        correct = collect.answers(i).tolist()
        state = engine.start(attempt_seed=i)
        while True:
            began = clock()
            item = engine.next_item(state)
            if item is None:
                break
            state = engine.record(state, item, correct[item])
            steps.append(clock() - began)
            collect.trajectory[i, state.items_administered - 1] = state.theta
        collect.estimate[i], collect.se[i] = state.theta, state.se
        collect.administered.append(state.administered)
        collect.reasons.append(state.stop_reason)
    return collect.finish()
