"""A numeric text entry's correct value and tolerance, from the item's response processing.

QTI compares numbers with `equal` (toleranceMode exact, absolute, or relative in percent)
or `equalRounded` (to significant figures or decimal places); each becomes a tolerance
around the correct value.
"""

from __future__ import annotations

import math
from decimal import Decimal

from lxml import etree

from application.ports.exam_packages import JsonObject
from infrastructure.qti.declarations import (
    ItemNotImportable,
    ResponseDeclaration,
    json_number,
    number,
)


def numeric_answer(
    item: etree._Element, declaration: ResponseDeclaration, response: str
) -> JsonObject:
    """`{value, tolerance, relative}` for the response variable `response`."""
    comparison = _comparison(item, response)
    value = _correct_value(declaration, comparison)
    tolerance, relative = (0.0, False) if comparison is None else _tolerance(comparison, value)
    return {"value": json_number(value), "tolerance": json_number(tolerance), "relative": relative}


def _comparison(item: etree._Element, response: str) -> etree._Element | None:
    processing = item.find("responseProcessing")
    if processing is None:
        return None
    for operator in processing.iter("equal", "equalRounded"):
        if any(v.get("identifier") == response for v in operator.iterfind("variable")):
            return operator
    return None


def _correct_value(declaration: ResponseDeclaration, comparison: etree._Element | None) -> float:
    if declaration.correct:
        return number(declaration.correct[0], "correct response")
    base = None if comparison is None else comparison.find("baseValue")
    if base is None:
        raise ItemNotImportable("no correct response")
    return number(base.text, "compared value")


def _tolerance(comparison: etree._Element, value: float) -> tuple[float, bool]:
    if comparison.tag == "equalRounded":
        return _rounding_tolerance(comparison, value), False
    mode = comparison.get("toleranceMode", "exact")
    if mode == "exact":
        return 0.0, False
    if mode not in {"absolute", "relative"}:
        raise ItemNotImportable(f"toleranceMode {mode!r} is not one of QTI's")
    bounds = [number(t, "tolerance") for t in comparison.get("tolerance", "").split()]
    if not bounds or len(bounds) > 2:
        raise ItemNotImportable("tolerance needs one or two numbers")
    # QTI allows a different tolerance below and above the value; ours is symmetric, so
    # the narrower one is taken: the import never accepts an answer QTI would refuse.
    narrower = min(bounds)
    if mode == "relative":
        return float(Decimal(str(narrower)) / 100), True  # QTI's relative is in percent
    return narrower, False


def _rounding_tolerance(comparison: etree._Element, value: float) -> float:
    mode = comparison.get("roundingMode", "significantFigures")
    figures = comparison.get("figures", "")
    if not figures.strip().isdigit():
        raise ItemNotImportable(f"figures {figures!r} is not a whole number")
    if mode == "decimalPlaces":
        exponent = -int(figures)
    elif mode == "significantFigures" and int(figures) > 0:
        if value == 0:
            return 0.0
        exponent = math.floor(math.log10(abs(value))) - int(figures) + 1
    else:
        raise ItemNotImportable(f"roundingMode {mode!r} with figures {figures!r}")
    # Anything that rounds to the correct value lies within half a unit of the last figure.
    return float(Decimal("0.5").scaleb(exponent))
