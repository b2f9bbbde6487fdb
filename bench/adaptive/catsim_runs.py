"""Driving catsim 0.21 component by component with our pre-drawn responses.

catsim's own ``Simulator`` draws responses from its private generator; calling its
selector, estimator and stopper directly (their documented standalone use) lets catsim
answer from the same uniforms as our engine and lets us time each step.
"""

import time
from collections.abc import Hashable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from catsim.estimation import NumericalSearchEstimator
from catsim.item_bank import ItemBank as CatsimItemBank
from catsim.selection import MaxInfoSelector
from catsim.stopping import MinErrorStopper, TestLengthStopper

from adaptive_simulation import SimulatedExaminees, draw_examinees, generate_bank
from bench.adaptive.runs import RunCollector, TimedRun
from domain.adaptive import ItemBank

K = TypeVar("K", bound=Hashable)


def run_catsim(
    bank: ItemBank,
    examinees: SimulatedExaminees,
    *,
    max_items: int,
    se_target: float | None,
    r_max: float = 1.0,
) -> TimedRun:
    """catsim defaults: start at 0, max-information selection, bounded MLE with Dodd.

    ``r_max < 1`` turns on catsim's exposure control: items whose running exposure rate
    reached ``r_max`` are skipped, with rates updated after every administration exactly
    as catsim's ``Simulator`` does (administrations / examinees).
    """
    items = CatsimItemBank(np.column_stack([bank.a, bank.b, bank.c, bank.d]))
    selector = MaxInfoSelector(r_max=r_max)
    estimator = NumericalSearchEstimator()
    stopper = (
        MinErrorStopper(se_target, max_items=max_items)
        if se_target is not None
        else TestLengthStopper(max_items=max_items)
    )
    collect = RunCollector(examinees, bank, max_items)
    usage = np.zeros(bank.size, dtype=int)
    clock, steps = time.perf_counter, collect.step_seconds
    for i in range(examinees.count):
        correct = collect.answers(i).tolist()
        administered: list[int] = []
        responses: list[bool] = []
        theta = 0.0
        while True:
            began = clock()
            done = stopper.stop(
                administered_items=items.get_items(administered), theta=theta, _item_bank=items
            )
            item = (
                None
                if done
                else selector.select(
                    item_bank=items, administered_items=administered, est_theta=theta
                )
            )
            if item is None:
                break
            administered.append(int(item))
            responses.append(correct[item])
            theta = float(
                estimator.estimate(
                    item_bank=items,
                    administered_items=administered,
                    response_vector=responses,
                    est_theta=theta,
                )
            )
            steps.append(clock() - began)
            collect.trajectory[i, len(administered) - 1] = theta
            usage[item] += 1
            items.update_exposure_rate(int(item), usage[item] / examinees.count)
        collect.estimate[i] = theta
        collect.se[i] = np.nan
        collect.administered.append(tuple(administered))
        collect.reasons.append(None)
    return collect.finish()


@dataclass(frozen=True, slots=True, kw_only=True)
class CatsimJob:
    """One catsim run, described by seeds so a worker process rebuilds its inputs.

    The examinees are the first ``examinees`` of ``draw_examinees(drawn, ...)``, so a
    run on fewer examinees meets exactly the first ones of a larger run.
    """

    bank_size: int
    bank_seed: int
    drawn: int
    examinees: int
    examinee_seed: int
    max_items: int
    se_target: float | None
    r_max: float = 1.0

    @property
    def cost(self) -> int:
        """Rough work, to start the longest jobs first."""
        return self.bank_size * self.examinees * self.max_items


def run_catsim_job(job: CatsimJob) -> TimedRun:
    """Rebuild the bank and examinees of ``job`` and run catsim on them."""
    bank = generate_bank(job.bank_size, seed=job.bank_seed)
    drawn = draw_examinees(job.drawn, job.bank_size, seed=job.examinee_seed)
    examinees = SimulatedExaminees(
        true_theta=drawn.true_theta[: job.examinees], uniforms=drawn.uniforms[: job.examinees]
    )
    return run_catsim(
        bank, examinees, max_items=job.max_items, se_target=job.se_target, r_max=job.r_max
    )


def run_catsim_jobs(jobs: Mapping[K, CatsimJob], workers: int) -> dict[K, TimedRun]:
    """Every job, on ``workers`` processes (catsim is single-threaded and slow)."""
    if workers <= 1 or len(jobs) <= 1:
        return {key: run_catsim_job(job) for key, job in jobs.items()}
    longest_first = sorted(jobs, key=lambda key: -jobs[key].cost)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(run_catsim_job, jobs[key]) for key in longest_first}
        return {key: futures[key].result() for key in jobs}
