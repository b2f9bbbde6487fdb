"""An assessmentItem to a question of the exam body, or the reason it has no equivalent."""

from __future__ import annotations

from lxml import etree

from application.ports.exam_packages import JsonObject
from infrastructure.qti.declarations import (
    ItemNotImportable,
    ResponseDeclaration,
    declared_max_score,
    json_number,
    response_declaration,
)
from infrastructure.qti.interactions import MAPPERS
from infrastructure.qti.text import plain_text


def question_from_item(item: etree._Element, question_id: str) -> JsonObject:
    """The question `question_id` from the (renamed) item; ItemNotImportable for an item
    that is adaptive, templated, composite, or whose interaction has no equivalent."""
    if item.tag != "assessmentItem":
        raise ItemNotImportable(f"a {item.tag!s} is not an assessment item")
    if item.get("adaptive", "false").strip() in {"true", "1"}:
        raise ItemNotImportable("adaptive item (its scoring changes between attempts)")
    if item.find("templateDeclaration") is not None or item.find("templateProcessing") is not None:
        raise ItemNotImportable("template item (its values are drawn per candidate)")
    body = item.find("itemBody")
    interactions = [] if body is None else _interactions(body)
    if body is None or not interactions:
        raise ItemNotImportable("no interaction")
    if len(interactions) > 1:
        names = ", ".join(sorted({str(i.tag) for i in interactions}))
        raise ItemNotImportable(f"composite item with {len(interactions)} interactions ({names})")
    interaction = interactions[0]
    mapper = MAPPERS.get(str(interaction.tag))
    if mapper is None:
        raise ItemNotImportable(f"{interaction.tag!s} has no equivalent question type")
    declaration = response_declaration(item, interaction.get("responseIdentifier", ""))
    fields = mapper(item, interaction, declaration)
    stem = plain_text(body, lambda element: _in_stem(element, interaction))
    points = json_number(_points(item, declaration))
    return {"id": question_id, "stem": stem, **fields, "points": points}


def _interactions(body: etree._Element) -> list[etree._Element]:
    return [e for e in body.iter(etree.Element) if str(e.tag).endswith("Interaction")]


def _in_stem(element: etree._Element, interaction: etree._Element) -> str | None:
    """The interaction's stand-in within the stem: a blank for an inline text entry, the
    prompt for the others (their choices become options, not stem)."""
    if element is not interaction:
        return None
    if interaction.tag == "textEntryInteraction":
        return "____"
    prompt = interaction.find("prompt")
    return "" if prompt is None else f"\n{plain_text(prompt)}\n"


def _points(item: etree._Element, declaration: ResponseDeclaration) -> float:
    """MAXSCORE if declared, else the most the mapping awards, else 1."""
    declared = declared_max_score(item)
    if declared is not None:
        return declared
    credits = [entry.value for entry in declaration.credited()]
    if not credits:
        return 1.0
    if declaration.cardinality == "single":
        return max(credits)
    best = sum(credits)
    bound = declaration.mapping_upper_bound
    return best if bound is None else min(best, bound)
