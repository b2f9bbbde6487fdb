"""Which ability estimate an adaptive test reports after each response."""

import math
from typing import Literal

from domain.adaptive.eap import posterior_summary
from domain.adaptive.irt import FloatArray
from domain.adaptive.mle import MLE_LOWER, MLE_UPPER, mle_estimate
from domain.adaptive.tables import BankTables


def current_ability(
    *,
    estimator: Literal["eap", "mle"],
    log_posterior: FloatArray,
    tables: BankTables,
    administered: tuple[int, ...],
    responses: tuple[bool, ...],
    previous_theta: float,
    log_prior: FloatArray | None = None,
) -> tuple[float, float]:
    """Theta and its standard error under the exam's estimator.

    EAP reads the posterior the engine keeps anyway. MLE has no finite maximum while the
    pattern is all correct or all wrong, so EAP stands in until the first mixed pattern;
    after that the MLE search starts from the previous estimate, which is usually a few
    hundredths away. Given the prior, the likelihood is read off the grid the engine keeps
    anyway (posterior minus prior): its maximum, interpolated, is within about 1e-3 of
    the MLE, and one Newton step brings it within about 1e-6 (`_polished`).
    """
    correct = sum(responses)
    if estimator == "mle" and 0 < correct < len(responses):
        polished = None
        if log_prior is not None:
            polished = _polished(log_posterior - log_prior, tables, administered, responses)
        if polished is not None:
            return polished
        items = list(administered)
        bank = tables.bank
        return mle_estimate(
            responses,
            bank.a[items],
            bank.b[items],
            bank.c[items],
            bank.d[items],
            start=previous_theta,
        )
    return posterior_summary(log_posterior, tables.grid)


def _polished(
    log_likelihood: FloatArray,
    tables: BankTables,
    items: tuple[int, ...],
    responses: tuple[bool, ...],
) -> tuple[float, float] | None:
    """The MLE from the grid's likelihood and one Newton step, or None to search instead.

    None when the grid maximum is at an end of the grid or outside the MLE bounds, or the
    step is not a Newton step towards a maximum within one node of it: the full search
    (`mle_estimate`) decides those.
    """
    nodes = tables.grid.nodes
    k = int(log_likelihood.argmax())
    if not 0 < k < nodes.size - 1 or not MLE_LOWER < nodes[k] < MLE_UPPER:
        return None
    left, middle, right = log_likelihood[k - 1 : k + 2].tolist()
    node = float(nodes[k])
    spacing = float(nodes[1] - nodes[0])
    bend = left - 2.0 * middle + right
    if not bend < 0.0:
        return None
    start = node + 0.5 * spacing * (left - right) / bend
    gradient, fisher, observed = tables.item_terms.score_information_curvature(
        start, items, responses
    )
    theta = start + gradient / observed if observed > 0.0 else math.nan
    if not abs(theta - node) <= spacing or fisher <= 0.0:
        return None
    # The information at the start, ~1e-3 away: its SE differs in the fourth digit at most.
    return theta, 1.0 / math.sqrt(fisher)
