"""POST /exams/import with every importable question type (QTI 2.1 §3.2 / 3.0 §4.2:
choiceInteraction of multiple cardinality, textEntryInteraction with a string and with a
float base type, extendedTextInteraction): the exam holds those types, a candidate
answers each and the result scores them by their rules."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, start
from tests.unit.infrastructure.qti.building import manifest, spec_file, zip_of

Client = AsyncTestClient[Litestar]
ZIP = {**ADMIN, "Content-Type": "application/zip"}
ITEMS = ("choice_multiple.xml", "text_entry.xml", "text_entry_numeric.xml", "extended_text.xml")


def typed_package(version: str) -> bytes:
    files = {f"items/{name}": spec_file(version, name) for name in ITEMS}
    files["imsmanifest.xml"] = manifest(version, items=tuple(f"items/{n}" for n in ITEMS))
    return zip_of(files)


# What each version's example items hold, as the reader maps them (see the XML files):
# multiple H+O (2 points, partial), text "York" (1), numeric 2.1: 3.14159 +-0.01 (2),
# 3.0: 343 +-5 % (1.5), essay (5, scored by a person).
EXPECTED_TYPES = {
    "choiceMultiple": "multiple",
    "textEntry": "text",
    "numeric": "numeric",
    "extendedText": "essay",
}
CASES = {
    # version: (the numeric answer, the score of all four answers, the maximum)
    "v2p1": (3.14, 5.0, 10.0),
    "v3p0": (350, 4.5, 9.5),
}


@pytest.mark.parametrize("version", ["v2p1", "v3p0"])
async def test_every_type_imports_and_scores(client: Client, version: str) -> None:
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=900", content=typed_package(version), headers=ZIP
    )
    assert response.status_code == 201, response.text
    exam: dict[str, Any] = response.json()["exam"]
    assert response.json()["report"]["imported"] == 4
    assert {q["id"]: q["type"] for q in exam["questions"]} == EXPECTED_TYPES
    numeric, score, max_score = CASES[version]

    who = f"imported-{version}"
    attempt = (await start(client, exam["id"], who)).json()["id"]
    answers: dict[str, Any] = {
        "choiceMultiple": ["O", "H"],
        "textEntry": "York",
        "numeric": numeric,
        "extendedText": "Dear Sam, my town is small and the river is the nicest part.",
    }
    for qid, answer in answers.items():
        saved = await client.put(
            f"/api/v1/attempts/{attempt}/answers/{qid}",
            json={"response": answer},
            headers=auth(who),
        )
        assert saved.status_code == 200, (qid, saved.text)
    read = (await client.get(f"/api/v1/attempts/{attempt}", headers=auth(who))).json()
    assert read["answers"] == answers  # a list stays a list, a number a number

    result = (await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(who))).json()
    assert (result["score"], result["max_score"]) == (score, max_score)
    assert (result["pending_points"], result["scored"], result["correct"]) == (5, False, 3)
    scored = await client.post(
        f"/api/v1/attempts/{attempt}/scores/extendedText", json={"points": 4}, headers=ADMIN
    )
    assert scored.status_code == 200, scored.text
    assert (scored.json()["score"], scored.json()["scored"]) == (score + 4, True)


async def test_a_wrong_answer_to_an_imported_item_scores_by_its_rules(client: Client) -> None:
    """The 2.1 text item maps "York" and "york" case-sensitively; "YORK" is neither, and
    Hydrogen alone earns half of the partial-credit multiple item."""
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=900", content=typed_package("v2p1"), headers=ZIP
    )
    exam = response.json()["exam"]
    who = "imported-wrong"
    attempt = (await start(client, exam["id"], who)).json()["id"]
    for qid, answer in (("choiceMultiple", ["H"]), ("textEntry", "YORK"), ("numeric", 3.2)):
        saved = await client.put(
            f"/api/v1/attempts/{attempt}/answers/{qid}",
            json={"response": answer},
            headers=auth(who),
        )
        assert saved.status_code == 200, (qid, saved.text)
    result = (await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(who))).json()
    assert (result["score"], result["correct"], result["scored"]) == (1.0, 0, True)
