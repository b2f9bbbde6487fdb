"""An adaptive exam's engine options in the exam row's `adaptive` JSON document.

Options are written only when they differ from the defaults, so rows written before
they existed and rows written now read back the same way (no migration needed).
"""

from __future__ import annotations

from typing import Any

from domain.adaptive_options import AbilityPrior, Estimator, ExposureMethod, ExposureRule, IrtModel
from domain.adaptive_pretest_classification import ClassificationRule, PretestRule
from domain.exam import AdaptiveRules

_LENGTH_FIELDS = ("max_items", "min_items", "se_target", "exposure_k")


def adaptive_options_document(rules: AdaptiveRules) -> dict[str, Any]:
    """The options beyond test length and `exposure_k`, as JSON values."""
    document: dict[str, Any] = {}
    if rules.estimator is not Estimator.EAP:
        document["estimator"] = rules.estimator.value
    if rules.model is not IrtModel.THREE_PL:
        document["model"] = rules.model.value
    if rules.content_targets is not None:
        document["content_targets"] = dict(rules.content_targets)
    if rules.enemies:
        document["enemies"] = [list(group) for group in rules.enemies]
    if rules.prior is not AbilityPrior.STANDARD:
        document["prior"] = rules.prior.value
    if rules.pretest is not None:
        document["pretest"] = {
            "item_ids": list(rules.pretest.item_ids),
            "count": rules.pretest.count,
        }
    if rules.classification is not None:
        rule = rules.classification
        document["classification"] = {
            "cut": rule.cut,
            "indifference": rule.indifference,
            "alpha": rule.alpha,
            "beta": rule.beta,
        }
    exposure = rules.exposure
    if exposure is not None:
        document["exposure"] = {
            "method": exposure.method.value,
            "k": exposure.k,
            "r_max": exposure.r_max,
            "parameters": None if exposure.parameters is None else dict(exposure.parameters),
        }
    return document


def adaptive_rules(stored: dict[str, Any]) -> AdaptiveRules:
    """The rules of a stored document, old (length fields only) or new."""
    exposure = stored.get("exposure")
    pretest, classification = stored.get("pretest"), stored.get("classification")
    return AdaptiveRules(
        **{name: stored[name] for name in _LENGTH_FIELDS if name in stored},
        estimator=Estimator(stored.get("estimator", "eap")),
        model=IrtModel(stored.get("model", "3pl")),
        content_targets=stored.get("content_targets"),
        enemies=tuple(tuple(group) for group in stored.get("enemies", ())),
        prior=AbilityPrior(stored.get("prior", "standard")),
        pretest=None if pretest is None else PretestRule(**pretest),
        classification=None if classification is None else ClassificationRule(**classification),
        exposure=None
        if exposure is None
        else ExposureRule(
            method=ExposureMethod(exposure["method"]),
            k=exposure.get("k", 1),
            r_max=exposure.get("r_max"),
            parameters=exposure.get("parameters"),
        ),
    )
