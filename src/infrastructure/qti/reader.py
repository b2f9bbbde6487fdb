"""QTI 3.0 and 2.1 import: a content package (zip with imsmanifest.xml) or one document."""

from __future__ import annotations

import posixpath

from lxml import etree

from application.ports.exam_packages import (
    ExamPackageReader,
    ImportedExam,
    PackageRejected,
    SkippedContent,
)
from infrastructure.qti.assessment_test import ItemRef, read_test
from infrastructure.qti.declarations import ItemNotImportable
from infrastructure.qti.exam_body import ExamBuilder
from infrastructure.qti.limits import PackageLimits
from infrastructure.qti.manifest import read_manifest
from infrastructure.qti.package import ContentPackage, looks_like_zip, resolve_href
from infrastructure.qti.parsing import parse_xml


class QtiPackageReader(ExamPackageReader):
    """Maps choice, text entry and extended text items, sections and time limits; lists
    every other item in the report."""

    def __init__(self, limits: PackageLimits | None = None) -> None:
        self._limits = limits or PackageLimits()

    def read(self, data: bytes, filename: str | None = None) -> ImportedExam:
        if len(data) > self._limits.max_package_bytes:
            raise PackageRejected(f"the upload is over {self._limits.max_package_bytes} bytes")
        title = _title_of(filename)
        if looks_like_zip(data):
            return _from_package(ContentPackage(data, self._limits), title)
        if filename and filename.lower().endswith(".zip"):
            raise PackageRejected(f"{filename} is not a zip")
        return _from_document(data, filename or "the document", title)


def _from_package(package: ContentPackage, title: str) -> ImportedExam:
    manifest = read_manifest(package)

    def load(ref: ItemRef, relative_to: str) -> etree._Element:
        path = resolve_href(ref.href, relative_to)
        if not package.has(path):
            raise ItemNotImportable(f"{path} is not in the package")
        document = parse_xml(package.read(path), path)
        if not document.is_qti:
            raise ItemNotImportable(f"{path} is not a QTI 2.1 or 3.0 document")
        return document.root

    if not manifest.tests:
        builder = ExamBuilder(lambda ref: load(ref, ""))
        return builder.from_items((ItemRef("", r.path) for r in manifest.items), title)
    test, *others = manifest.tests
    document = parse_xml(package.read(test.path), test.path)
    if not document.is_qti or document.root.tag != "assessmentTest":
        raise PackageRejected(f"{test.path} is not a QTI 2.1 or 3.0 assessment test")
    imported = ExamBuilder(lambda ref: load(ref, test.path)).from_test(
        read_test(document.root), title
    )
    reason = f"the package has several tests; only {test.identifier} is imported"
    extra = tuple(SkippedContent(identifier=other.identifier, reason=reason) for other in others)
    return ImportedExam(
        exam=imported.exam, imported=imported.imported, skipped=imported.skipped + extra
    )


def _from_document(data: bytes, name: str, title: str) -> ImportedExam:
    document = parse_xml(data, name)
    root = document.root
    if not document.is_qti or root.tag not in {"assessmentTest", "assessmentItem"}:
        raise PackageRejected(f"{name} is neither a QTI 2.1/3.0 assessment test nor an item")
    if root.tag == "assessmentItem":
        only = ItemRef("", "")
        return ExamBuilder(lambda _: root).from_items([only], root.get("title") or title)
    inline = {item.get("identifier"): item for item in root.iter("assessmentItem")}

    def load(ref: ItemRef) -> etree._Element:
        item = inline.get(ref.identifier)
        if item is None:
            raise ItemNotImportable(f"{ref.href} is not in the upload (send the whole package)")
        return item

    return ExamBuilder(load).from_test(read_test(root), title)


def _title_of(filename: str | None) -> str:
    stem = posixpath.splitext(posixpath.basename((filename or "").replace("\\", "/")))[0]
    return stem or "Imported exam"
