"""An assessmentTest's plan: title, clocks, and its sections with their item references.

Sections here are flat and each runs in order, so a test part's top-level sections become
sections and the items of nested sections join their top-level one. What of a test has no
equivalent (a nested section's own clock, branching) is reported, never dropped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree

from application.ports.exam_packages import PackageRejected, SkippedContent


@dataclass(frozen=True, slots=True)
class ItemRef:
    identifier: str
    href: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionPlan:
    identifier: str
    title: str | None
    duration_seconds: int | None
    navigation: str
    refs: tuple[ItemRef, ...]
    select: int | None
    shuffle: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class TestPlan:
    title: str | None
    duration_seconds: int | None
    sections: tuple[SectionPlan, ...]
    skipped: tuple[SkippedContent, ...]


def read_test(test: etree._Element) -> TestPlan:
    skipped: list[SkippedContent] = []
    duration = max_time(test)
    parts = list(test.iterfind("testPart"))
    sections: list[SectionPlan] = []
    for part in parts:
        part_time = max_time(part)
        if part_time is not None and duration is None and len(parts) == 1:
            duration = part_time  # one part: its clock is the exam's
        elif part_time is not None:
            skipped.append(_skip(part, "time limit of a test part (only the test and sections)"))
        navigation = "sequential" if part.get("navigationMode") == "linear" else "free"
        for section in part.iterfind("assessmentSection"):
            sections.append(_section(section, navigation, skipped))
    skipped.extend(
        _skip(e, "branch rules and preconditions are not followed") for e in _rules(test)
    )
    return TestPlan(
        title=test.get("title") or test.get("identifier"),
        duration_seconds=duration,
        sections=tuple(sections),
        skipped=tuple(skipped),
    )


def max_time(element: etree._Element) -> int | None:
    """The element's timeLimits maxTime in whole seconds (rounded up: never less time)."""
    limits = element.find("timeLimits")
    value = None if limits is None else limits.get("maxTime")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise PackageRejected(f"maxTime {value!r} of {element.get('identifier')} is not a number")
    return math.ceil(seconds)


def _section(
    section: etree._Element, navigation: str, skipped: list[SkippedContent]
) -> SectionPlan:
    for nested in section.iter("assessmentSection", "assessmentItemRef"):
        if nested is section:
            continue
        if max_time(nested) is not None:
            skipped.append(_skip(nested, f"own time limit inside section {_id(section)}"))
        if nested.find("selection") is not None or nested.find("ordering") is not None:
            skipped.append(_skip(nested, "selection or ordering of a nested section"))
    selection = section.find("selection")
    if selection is not None and selection.get("withReplacement", "false") in {"true", "1"}:
        skipped.append(_skip(section, "selection with replacement; items are drawn once"))
    ordering = section.find("ordering")
    return SectionPlan(
        identifier=_id(section),
        title=section.get("title"),
        duration_seconds=max_time(section),
        navigation=navigation,
        refs=tuple(
            ItemRef(_id(ref), ref.get("href", "")) for ref in section.iter("assessmentItemRef")
        ),
        select=None if selection is None else _count(selection),
        shuffle=ordering is not None and ordering.get("shuffle", "false") in {"true", "1"},
    )


def _rules(test: etree._Element) -> list[etree._Element]:
    owners = dict.fromkeys(rule.getparent() for rule in test.iter("branchRule", "preCondition"))
    return [owner for owner in owners if owner is not None]


def _count(selection: etree._Element) -> int:
    select = selection.get("select", "")
    if not select.strip().isdigit():
        raise PackageRejected(f"selection select {select!r} is not a whole number")
    return int(select)


def _id(element: etree._Element) -> str:
    return element.get("identifier", "")


def _skip(element: etree._Element, reason: str) -> SkippedContent:
    return SkippedContent(identifier=_id(element), reason=reason)
