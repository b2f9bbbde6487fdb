"""Driving catsim 0.21 component by component with our pre-drawn responses.

catsim's own ``Simulator`` draws responses from its private generator; calling its
selector, estimator and stopper directly (their documented standalone use) lets catsim
answer from the same uniforms as our engine and lets us time each step.
"""

import time

import numpy as np
from catsim.estimation import NumericalSearchEstimator
from catsim.item_bank import ItemBank as CatsimItemBank
from catsim.selection import MaxInfoSelector
from catsim.stopping import MinErrorStopper, TestLengthStopper

from bench.adaptive.runs import RunCollector, TimedRun
from domain.adaptive import ItemBank, SimulatedExaminees


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
    clock = time.perf_counter
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
                collect.seconds += clock() - began
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
            collect.seconds += clock() - began
            collect.steps += 1
            collect.trajectory[i, len(administered) - 1] = theta
            usage[item] += 1
            items.update_exposure_rate(int(item), usage[item] / examinees.count)
        collect.estimate[i] = theta
        collect.se[i] = np.nan
        collect.administered.append(tuple(administered))
        collect.reasons.append(None)
    return collect.finish()
