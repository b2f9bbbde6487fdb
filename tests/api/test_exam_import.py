"""POST /exams/import: QTI packages built from the specifications' examples
(tests/unit/infrastructure/qti/packages), through the same validation as POST /exams."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, start
from tests.unit.infrastructure.qti.building import manifest, spec_file, zip_of

Client = AsyncTestClient[Litestar]
ZIP = {**ADMIN, "Content-Type": "application/zip"}
XML = {**ADMIN, "Content-Type": "application/xml"}


def _choice_package(version: str, *, with_order_item: bool = True) -> bytes:
    """A choice item (QTI 2.1 §3.2.2 / 3.0 §4.2.2, choiceInteraction) and, optionally, an
    order item (orderInteraction), which has no equivalent here."""
    names = ("choice.xml", "order.xml") if with_order_item else ("choice.xml",)
    files = {f"items/{name}": spec_file(version, name) for name in names}
    files["imsmanifest.xml"] = manifest(version, items=tuple(f"items/{n}" for n in names))
    return zip_of(files)


async def _exam_count(client: Client) -> int:
    count, url = 0, "/api/v1/exams?limit=500"
    while url:
        page = await client.get(url, headers=ADMIN)
        count += len(page.json())
        link = page.headers.get("link", "")
        url = link[1 : link.index(">")] if link else ""
    return count


@pytest.mark.parametrize("version", ["v2p1", "v3p0"])
async def test_a_content_package_becomes_an_exam(client: Client, version: str) -> None:
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=900", content=_choice_package(version), headers=ZIP
    )
    assert response.status_code == 201, response.text
    body = response.json()
    exam, report = body["exam"], body["report"]
    assert exam["duration_seconds"] == 900
    assert [q["id"] for q in exam["questions"]] == ["choice"]
    assert exam["questions"][0]["correct_key"] == "ChoiceA"
    assert report["imported"] == 1
    order = [s for s in report["skipped"] if s["identifier"] == "order"]
    assert order == [
        {"identifier": "order", "reason": "orderInteraction has no equivalent question type"}
    ]
    # The exam is like any other: a candidate starts it and never sees the key.
    attempt = (await start(client, exam["id"], f"importer-{version}")).json()
    questions = await client.get(
        f"/api/v1/attempts/{attempt['id']}/questions", headers=auth(f"importer-{version}")
    )
    assert [o["key"] for o in questions.json()[0]["options"]] == ["ChoiceA", "ChoiceB", "ChoiceC"]
    assert "correct_key" not in questions.json()[0]


@pytest.mark.parametrize("media_type", ["application/xml", "text/xml"])
async def test_one_xml_document_is_imported(client: Client, media_type: str) -> None:
    headers = {**ADMIN, "Content-Type": media_type}
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=60",
        content=spec_file("v3p0", "choice.xml"),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["report"]["imported"] == 1


async def test_without_a_time_limit_or_a_duration_it_is_422(client: Client) -> None:
    before = await _exam_count(client)
    response = await client.post(
        "/api/v1/exams/import", content=_choice_package("v2p1"), headers=ZIP
    )
    assert response.status_code == 422
    assert "duration_seconds" in response.text
    assert await _exam_count(client) == before


def _xxe() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE assessmentItem [<!ENTITY secret SYSTEM'
        b' "file:///etc/passwd">]>\n<assessmentItem xmlns="http://www.imsglobal.org/xsd/'
        b'imsqti_v2p1" identifier="x"><itemBody><p>&secret;</p></itemBody></assessmentItem>'
    )


HOSTILE: dict[str, tuple[bytes, dict[str, str]]] = {
    "xxe": (_xxe(), XML),
    "zip bomb": (zip_of({"imsmanifest.xml": b"\0" * (1024 * 1024)}), ZIP),
    "path traversal": (
        zip_of({"imsmanifest.xml": manifest("v2p1", items=("../outside.xml",))}),
        ZIP,
    ),
    "not a zip": (b"PK\x03\x04 truncated", ZIP),
    "not xml": (b"<assessmentItem", XML),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_a_hostile_package_is_422_and_changes_nothing(client: Client, case: str) -> None:
    data, headers = HOSTILE[case]
    before = await _exam_count(client)
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=60", content=data, headers=headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "root:" not in response.text  # nothing of /etc/passwd
    assert await _exam_count(client) == before


async def test_only_admins_import(client: Client) -> None:
    headers: dict[str, Any] = {**auth("candidate-x"), "Content-Type": "application/zip"}
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=60", content=_choice_package("v2p1"), headers=headers
    )
    assert response.status_code == 403


async def test_other_media_types_are_415(client: Client) -> None:
    headers = {**ADMIN, "Content-Type": "application/json"}
    response = await client.post("/api/v1/exams/import", content=b"{}", headers=headers)
    assert response.status_code == 415


async def test_an_upload_over_the_cap_is_413(client: Client) -> None:
    too_big = b"PK" + b"\0" * (20 * 1024 * 1024)
    response = await client.post(
        "/api/v1/exams/import?duration_seconds=60", content=too_big, headers=ZIP
    )
    assert response.status_code == 413
