"""`adaptive.pretest` and `adaptive.classification` of an exam body, in and out."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from domain.adaptive_pretest_classification import ClassificationRule, PretestRule
from presentation.api.schemas.fields import Identifier

Theta = Annotated[float, Meta(ge=-20, le=20)]
ErrorRate = Annotated[float, Meta(gt=0, lt=0.5)]


class PretestIn(Struct, frozen=True, forbid_unknown_fields=True):
    item_ids: Annotated[list[Identifier], Meta(min_length=1, max_length=10_000)]
    count: Annotated[int, Meta(ge=1, le=10_000)]


class ClassificationIn(Struct, frozen=True, forbid_unknown_fields=True):
    cut: Theta
    indifference: Annotated[float, Meta(gt=0, le=5)]
    alpha: ErrorRate = 0.05
    beta: ErrorRate = 0.05


class PretestOut(Struct, frozen=True):
    item_ids: list[str]
    count: int


class ClassificationOut(Struct, frozen=True):
    cut: float
    indifference: float
    alpha: float
    beta: float


def pretest_rule(given: PretestIn | None) -> PretestRule | None:
    return None if given is None else PretestRule(item_ids=tuple(given.item_ids), count=given.count)


def classification_rule(given: ClassificationIn | None) -> ClassificationRule | None:
    if given is None:
        return None
    return ClassificationRule(
        cut=given.cut, indifference=given.indifference, alpha=given.alpha, beta=given.beta
    )


def pretest_out(rule: PretestRule | None) -> PretestOut | None:
    return None if rule is None else PretestOut(item_ids=list(rule.item_ids), count=rule.count)


def classification_out(rule: ClassificationRule | None) -> ClassificationOut | None:
    if rule is None:
        return None
    return ClassificationOut(
        cut=rule.cut, indifference=rule.indifference, alpha=rule.alpha, beta=rule.beta
    )
