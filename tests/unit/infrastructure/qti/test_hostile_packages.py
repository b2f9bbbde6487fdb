"""Malformed and hostile uploads are refused whole (PackageRejected, 422 at the API).

Issue 15: "a malformed or hostile package (XXE, zip bomb, path traversal in the manifest)
gets 422 and changes nothing". The reader has no side effects, so refusing is all it does.
"""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from application.ports.exam_packages import PackageRejected
from infrastructure.qti import PackageLimits, QtiPackageReader
from tests.unit.infrastructure.qti.building import manifest, spec_file, spec_package, zip_of

READER = QtiPackageReader()
_ITEM_2P1 = '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x">'


def _rejected(data: bytes, filename: str | None = None, *, match: str) -> None:
    with pytest.raises(PackageRejected, match=match):
        READER.read(data, filename)


def _item_with_doctype(doctype: str, body_text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n{_ITEM_2P1}<itemBody><p>{body_text}</p>'
        "</itemBody></assessmentItem>"
    ).encode()


def _items_package(item: bytes) -> bytes:
    files = {"item.xml": item, "imsmanifest.xml": manifest("v2p1", items=("item.xml",))}
    return zip_of(files)


@pytest.mark.parametrize("wrap", [False, True], ids=["document", "inside a zip"])
def test_an_external_entity_to_a_local_file_is_refused(wrap: bool) -> None:
    """XXE: an external entity naming /etc/passwd must neither resolve nor pass."""
    item = _item_with_doctype(
        '<!DOCTYPE assessmentItem [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', "&secret;"
    )
    _rejected(_items_package(item) if wrap else item, match="DTD")


def test_billion_laughs_is_refused() -> None:
    """Nested internal entities that would expand to gigabytes."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    item = _item_with_doctype(f"<!DOCTYPE assessmentItem [{''.join(entities)}]>", "&lol9;")
    # libxml2 itself stops the amplification; were it not to, the DTD check would.
    _rejected(item, match="not well-formed XML|DTD")


def test_a_dtd_fetched_over_the_network_is_refused() -> None:
    item = _item_with_doctype(
        '<!DOCTYPE assessmentItem SYSTEM "http://127.0.0.1:9/qti.dtd">', "question"
    )
    _rejected(item, match="DTD")


def test_xinclude_is_never_processed() -> None:
    """XInclude is inert unless asked for: the stem shows nothing of the named file."""
    item = (
        f'{_ITEM_2P1[:-1]} xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<responseDeclaration identifier="R" cardinality="single" baseType="string"/>'
        '<itemBody><p>Essay <xi:include href="/etc/passwd" parse="text"/></p>'
        '<extendedTextInteraction responseIdentifier="R"/></itemBody></assessmentItem>'
    ).encode()
    assert READER.read(item).exam["questions"] == [
        {"id": "x", "stem": "Essay", "type": "essay", "points": 1}
    ]


def test_a_zip_bomb_is_refused_before_it_is_decompressed() -> None:
    """One megabyte of zeros deflates about a thousandfold, far past any XML."""
    bomb = zip_of({"imsmanifest.xml": b"\0" * (1024 * 1024)})
    _rejected(bomb, "bomb.zip", match="compressed more than 100x")


@pytest.mark.parametrize(
    ("limits", "match"),
    [
        (PackageLimits(max_entry_bytes=1024), "unpacks to more than 1024"),
        (PackageLimits(max_total_bytes=4096), "unpacks to more than 4096 bytes"),
        (PackageLimits(max_entries=3), "at most 3"),
        (PackageLimits(max_package_bytes=1000), "over 1000 bytes"),
    ],
)
def test_each_package_limit_refuses_a_package_past_it(limits: PackageLimits, match: str) -> None:
    with pytest.raises(PackageRejected, match=match):
        QtiPackageReader(limits).read(spec_package("v2p1"), "upload.zip")


@pytest.mark.parametrize(
    "href", ["../outside.xml", "items/../../outside.xml", "/etc/passwd", "file:///etc/passwd"]
)
def test_a_manifest_href_leaving_the_package_is_refused(href: str) -> None:
    """Path traversal in imsmanifest.xml."""
    files = {"imsmanifest.xml": manifest("v2p1", items=(href,)), "item.xml": b"<x/>"}
    _rejected(zip_of(files), match="outside the package")


def test_a_test_naming_an_item_outside_the_package_is_refused() -> None:
    """A test may climb out of its own folder (../items), never out of the package."""
    test = spec_file("v2p1", "test.xml").replace(b"../items/choice.xml", b"../../choice.xml")
    files = {"tests/test.xml": test, "imsmanifest.xml": manifest("v2p1", tests=("tests/test.xml",))}
    _rejected(zip_of(files), match="outside the package")


def test_zip_entries_named_outside_the_package_or_as_symlinks_are_refused() -> None:
    _rejected(zip_of({"../evil.xml": b"<x/>"}), match="outside the package")
    link = zipfile.ZipInfo("imsmanifest.xml")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(link, "/etc/passwd")
    _rejected(out.getvalue(), match="symbolic link")


@pytest.mark.parametrize(
    ("data", "filename", "match"),
    [
        (b"this is not a package", "exam.zip", "not a zip"),
        (b"PK\x03\x04 truncated", "exam.zip", "not a readable zip"),
        (b"\x89PNG\r\n\x1a\n binary", None, "not well-formed XML"),
        (b"<assessmentItem><itemBody></assessmentItem>", "item.xml", "not well-formed XML"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "page.xml", "neither"),
    ],
)
def test_what_is_not_a_zip_or_not_qti_xml_is_refused(
    data: bytes, filename: str | None, match: str
) -> None:
    _rejected(data, filename, match=match)


def test_a_zip_without_a_manifest_or_qti_or_with_a_malformed_item_is_refused() -> None:
    _rejected(zip_of({"item.xml": spec_file("v3p0", "choice.xml")}), match="no imsmanifest.xml")
    _rejected(zip_of({"imsmanifest.xml": manifest("v3p0")}), match="names no QTI test or item")
    _rejected(_items_package(b"<assessmentItem><itemBody>"), match="not well-formed XML")
