"""Monte Carlo simulation of adaptive tests on a synthetic examinee population."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from domain.adaptive.engine import AdaptiveEngine
from domain.adaptive.irt import FloatArray, probability
from domain.adaptive.stopping import StopReason


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SimulatedExaminees:
    """True abilities and the uniform numbers that decide every possible response.

    Examinee ``i`` answers item ``j`` correctly when ``uniforms[i, j] < P_j(theta_i)``.
    Drawing them up front, per item rather than per step, makes an examinee give the same
    answer to the same item under any engine, so engines are compared on identical luck.
    """

    true_theta: FloatArray
    uniforms: FloatArray

    def __post_init__(self) -> None:
        if self.uniforms.ndim != 2 or self.uniforms.shape[0] != self.true_theta.shape[0]:
            raise ValueError("need one row of uniforms per examinee")

    @property
    def count(self) -> int:
        """Number of examinees."""
        return int(self.true_theta.shape[0])


def draw_examinees(count: int, bank_size: int, seed: int) -> SimulatedExaminees:
    """``count`` examinees with theta ~ N(0, 1) and one uniform per item each."""
    rng = np.random.default_rng(seed)
    true_theta = rng.standard_normal(count)
    return SimulatedExaminees(true_theta=true_theta, uniforms=rng.random((count, bank_size)))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SimulationResult:
    """Per-examinee outcome; ``trajectory[i, k]`` is the estimate after ``k + 1`` items."""

    true_theta: FloatArray
    estimate: FloatArray
    se: FloatArray
    length: np.ndarray[tuple[int], np.dtype[np.intp]]
    administered: tuple[tuple[int, ...], ...]
    stop_reasons: tuple[StopReason | None, ...]
    trajectory: FloatArray
    bank_size: int


def simulate(
    engine: AdaptiveEngine,
    examinees: SimulatedExaminees,
    on_examinee: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Run one adaptive test per examinee; attempt ``i`` uses attempt seed ``i``.

    ``on_examinee(i)`` is called after each examinee, e.g. to move a progress bar.
    """
    bank, count = engine.bank, examinees.count
    if examinees.uniforms.shape[1] != bank.size:
        raise ValueError("need one uniform per bank item for every examinee")
    # Pretest items come on top of max_items.
    max_items = min(engine.settings.max_items + engine.settings.pretest.count, bank.size)
    trajectory = np.full((count, max_items), np.nan)
    estimate, se = np.empty(count), np.empty(count)
    administered: list[tuple[int, ...]] = []
    reasons: list[StopReason | None] = []
    for i in range(count):
        correct = examinees.uniforms[i] < probability(
            examinees.true_theta[i], bank.a, bank.b, bank.c, bank.d
        )
        state = engine.start(attempt_seed=i)
        item = engine.next_item(state)
        while item is not None:
            state = engine.record(state, item, bool(correct[item]))
            trajectory[i, state.items_administered - 1] = state.theta
            item = engine.next_item(state)
        estimate[i], se[i] = state.theta, state.se
        administered.append(state.administered)
        reasons.append(state.stop_reason)
        if on_examinee is not None:
            on_examinee(i)
    return SimulationResult(
        true_theta=examinees.true_theta,
        estimate=estimate,
        se=se,
        length=np.array([len(items) for items in administered], dtype=np.intp),
        administered=tuple(administered),
        stop_reasons=tuple(reasons),
        trajectory=trajectory,
        bank_size=bank.size,
    )
