"""The three interactions with an equivalent here, mapped to a question's typed fields.

choiceInteraction -> `single` or `multiple` (by the response's cardinality);
textEntryInteraction -> `text` (base type string) or `numeric` (integer, float);
extendedTextInteraction -> `essay`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from application.ports.exam_packages import JsonObject, JsonValue
from infrastructure.qti.declarations import ItemNotImportable, ResponseDeclaration
from infrastructure.qti.numeric import numeric_answer
from infrastructure.qti.text import plain_text

# patternMask is QTI's one hard limit on typed text; "at most N characters" is written as
# [\s\S]{0,N} (anchored or not). Other patterns restrict input and have no equivalent.
_LENGTH_MASK = re.compile(r"\^?\[\\s\\S\]\{\d*,(\d+)\}\$?")


def choice(item: etree._Element, interaction: etree._Element, d: ResponseDeclaration) -> JsonObject:
    if d.base_type != "identifier":
        raise ItemNotImportable(f"choiceInteraction with baseType {d.base_type!r}")
    options: list[JsonValue] = [
        {"key": c.get("identifier", ""), "text": plain_text(c)}
        for c in interaction.iterfind("simpleChoice")
    ]
    credited = d.credited()
    keys: list[JsonValue] = list(d.correct or [entry.key for entry in credited])
    if not keys:
        raise ItemNotImportable("no correct response")
    if d.cardinality == "single":
        # Without a correct response, the key the mapping rewards most is the right one.
        best = d.correct[0] if d.correct else max(credited, key=lambda e: e.value).key
        return {"type": "single", "options": options, "correct_key": best}
    if d.cardinality != "multiple":
        raise ItemNotImportable(f"choiceInteraction with {d.cardinality} cardinality")
    scoring = "partial" if d.has_mapping else "all_or_nothing"
    return {"type": "multiple", "options": options, "correct_keys": keys, "scoring": scoring}


def text_entry(
    item: etree._Element, interaction: etree._Element, d: ResponseDeclaration
) -> JsonObject:
    if d.cardinality != "single":
        raise ItemNotImportable(f"textEntryInteraction with {d.cardinality} cardinality")
    if d.base_type in {"integer", "float"}:
        return {"type": "numeric", "numeric": numeric_answer(item, d, _response_of(interaction))}
    if d.base_type != "string":
        raise ItemNotImportable(f"textEntryInteraction with baseType {d.base_type!r}")
    credited = d.credited()
    accepted: list[JsonValue] = list(dict.fromkeys([*d.correct, *(e.key for e in credited)]))
    if not accepted:
        raise ItemNotImportable("no correct response")
    # QTI matches the correct response exactly; mapping entries say for themselves.
    case_sensitive = bool(d.correct) or any(entry.case_sensitive for entry in credited)
    fields: JsonObject = {"type": "text", "accepted": accepted, "case_sensitive": case_sensitive}
    return fields | _max_length(interaction)


def extended_text(
    item: etree._Element, interaction: etree._Element, d: ResponseDeclaration
) -> JsonObject:
    # expectedLength and expectedLines only size the box ("not a validity constraint" in
    # the specification), and maxStrings counts strings, so neither becomes max_length.
    if d.cardinality != "single":
        raise ItemNotImportable(f"extendedTextInteraction with {d.cardinality} cardinality")
    if d.base_type != "string":
        raise ItemNotImportable(f"extendedTextInteraction with baseType {d.base_type!r}")
    return {"type": "essay"} | _max_length(interaction)


Mapper = Callable[[etree._Element, etree._Element, ResponseDeclaration], JsonObject]
MAPPERS: dict[str, Mapper] = {
    "choiceInteraction": choice,
    "textEntryInteraction": text_entry,
    "extendedTextInteraction": extended_text,
}


def _response_of(interaction: etree._Element) -> str:
    return interaction.get("responseIdentifier", "")


def _max_length(interaction: etree._Element) -> JsonObject:
    match = _LENGTH_MASK.fullmatch(interaction.get("patternMask", "").strip())
    return {"max_length": int(match.group(1))} if match else {}
