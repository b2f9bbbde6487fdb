"""The engine options of `adaptive` in an exam body: estimator, model, content targets and
exposure control, in and out."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from domain.adaptive_options import ExposureMethod, ExposureRule
from domain.errors import InvalidExamDefinition
from presentation.api.schemas.fields import Identifier, Text

Share = Annotated[float, Meta(gt=0, le=1)]
ExposureParameter = Annotated[float, Meta(ge=0, le=1)]


class ExposureIn(Struct, frozen=True, forbid_unknown_fields=True):
    method: Literal["randomesque", "sympson_hetter"]
    k: Annotated[int, Meta(ge=1, le=1_000)] = 1
    r_max: Annotated[float, Meta(gt=0, le=1)] | None = None
    # Sympson-Hetter's K per item id, from `hourglass simulate --calibrate-exposure`.
    parameters: dict[Identifier, ExposureParameter] | None = None


class ExposureOut(Struct, frozen=True, omit_defaults=True):
    method: str
    k: int = 1
    r_max: float | None = None
    parameters: dict[str, float] | None = None


ContentTargets = dict[Text, Share]


def exposure_rule(exposure: ExposureIn | None, exposure_k: int) -> tuple[int, ExposureRule | None]:
    """`exposure_k` and the Sympson-Hetter rule of a body: randomesque `exposure` is
    another spelling of `exposure_k`, so both given must agree."""
    if exposure is None:
        return exposure_k, None
    if exposure_k not in (1, exposure.k):
        raise InvalidExamDefinition("adaptive: exposure_k and exposure.k disagree")
    if exposure.method == ExposureMethod.RANDOMESQUE.value:
        if exposure.r_max is not None or exposure.parameters is not None:
            raise InvalidExamDefinition("adaptive.exposure: randomesque takes k only")
        return exposure.k, None
    rule = ExposureRule(
        method=ExposureMethod.SYMPSON_HETTER,
        k=exposure.k,
        r_max=exposure.r_max,
        parameters=exposure.parameters,
    )
    return exposure.k, rule


def exposure_out(exposure_k: int, rule: ExposureRule | None) -> ExposureOut:
    if rule is None:
        return ExposureOut(method=ExposureMethod.RANDOMESQUE.value, k=exposure_k)
    return ExposureOut(
        method=rule.method.value,
        k=rule.k,
        r_max=rule.r_max,
        parameters=None if rule.parameters is None else dict(rule.parameters),
    )


EstimatorName = Literal["eap", "mle"]
ModelName = Literal["3pl", "4pl"]
