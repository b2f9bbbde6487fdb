"""What an item declares about a response and its score: correct values, mappings, points."""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree


class ItemNotImportable(Exception):
    """An item this service has no equivalent for; it is listed in the report, not imported."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class MapEntry:
    key: str
    value: float
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class ResponseDeclaration:
    """One `responseDeclaration`: cardinality, base type, correct values and mapping."""

    cardinality: str
    base_type: str
    correct: tuple[str, ...]
    mapping: tuple[MapEntry, ...]
    has_mapping: bool
    mapping_upper_bound: float | None

    def credited(self) -> list[MapEntry]:
        """The mapping entries worth something, in document order."""
        return [entry for entry in self.mapping if entry.value > 0]


def response_declaration(item: etree._Element, identifier: str) -> ResponseDeclaration:
    declaration = next(
        (d for d in item.iterfind("responseDeclaration") if d.get("identifier") == identifier),
        None,
    )
    if declaration is None:
        raise ItemNotImportable(f"no responseDeclaration for {identifier!r}")
    mapping = declaration.find("mapping")
    entries = () if mapping is None else tuple(_map_entry(e) for e in mapping.iter("mapEntry"))
    upper = None if mapping is None else mapping.get("upperBound")
    return ResponseDeclaration(
        cardinality=declaration.get("cardinality", "single"),
        base_type=declaration.get("baseType", ""),
        correct=tuple(_texts(declaration.find("correctResponse"))),
        mapping=entries,
        has_mapping=mapping is not None or declaration.find("areaMapping") is not None,
        mapping_upper_bound=None if upper is None else number(upper, "mapping upperBound"),
    )


def declared_max_score(item: etree._Element) -> float | None:
    """The item's maximum score as it declares it: the MAXSCORE outcome's default value,
    else the SCORE outcome's normalMaximum."""
    max_score = item.find("outcomeDeclaration[@identifier='MAXSCORE']/defaultValue/value")
    if max_score is not None:
        return number(max_score.text, "MAXSCORE")
    score = item.find("outcomeDeclaration[@identifier='SCORE']")
    maximum = None if score is None else score.get("normalMaximum")
    return None if maximum is None else number(maximum, "SCORE normalMaximum")


def number(text: str | None, what: str) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ItemNotImportable(f"{what} {text!r} is not a number")
    return value


def json_number(value: float) -> int | float:
    """Whole numbers as ints, so `2` reads as 2 rather than 2.0 in the exam body."""
    return int(value) if value.is_integer() else value


def _map_entry(entry: etree._Element) -> MapEntry:
    return MapEntry(
        key=entry.get("mapKey", ""),
        value=number(entry.get("mappedValue"), "mappedValue"),
        # QTI's default: string keys match case-sensitively unless told otherwise.
        case_sensitive=entry.get("caseSensitive", "true").strip().lower() != "false",
    )


def _texts(parent: etree._Element | None) -> list[str]:
    if parent is None:
        return []
    return [(value.text or "").strip() for value in parent.iterfind("value")]
