"""Which ability estimate an adaptive test reports after each response."""

from typing import Literal

from domain.adaptive.eap import posterior_summary
from domain.adaptive.irt import FloatArray
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.mle import mle_estimate
from domain.adaptive.quadrature import QuadratureGrid


def current_ability(
    *,
    estimator: Literal["eap", "mle"],
    log_posterior: FloatArray,
    grid: QuadratureGrid,
    bank: ItemBank,
    administered: tuple[int, ...],
    responses: tuple[bool, ...],
    previous_theta: float,
) -> tuple[float, float]:
    """Theta and its standard error under the exam's estimator.

    EAP reads the posterior the engine keeps anyway. MLE has no finite maximum while the
    pattern is all correct or all wrong, so EAP stands in until the first mixed pattern;
    after that the MLE search starts from the previous estimate, which is usually a few
    hundredths away.
    """
    theta, se = posterior_summary(log_posterior, grid)
    correct = sum(responses)
    if estimator == "mle" and 0 < correct < len(responses):
        items = list(administered)
        theta, se = mle_estimate(
            responses,
            bank.a[items],
            bank.b[items],
            bank.c[items],
            bank.d[items],
            start=previous_theta,
        )
    return theta, se
