"""imsmanifest.xml: which resources of a content package are QTI tests and items."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.exam_packages import PackageRejected
from infrastructure.qti.package import ContentPackage, resolve_href
from infrastructure.qti.parsing import parse_xml

MANIFEST = "imsmanifest.xml"


@dataclass(frozen=True, slots=True)
class Resource:
    identifier: str
    path: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The package's QTI resources in manifest order (resource types
    `imsqti_test_xmlv2p1` / `imsqti_item_xmlv3p0` and the like)."""

    tests: tuple[Resource, ...]
    items: tuple[Resource, ...]


def read_manifest(package: ContentPackage) -> Manifest:
    if not package.has(MANIFEST):
        raise PackageRejected(f"the zip has no {MANIFEST}; it is not a content package")
    root = parse_xml(package.read(MANIFEST), MANIFEST).root
    if root.tag != "manifest":
        raise PackageRejected(f"{MANIFEST} is not an IMS content package manifest")
    tests: list[Resource] = []
    items: list[Resource] = []
    for resource in root.iterfind("resources/resource"):
        kind = resource.get("type", "")
        href = resource.get("href")
        if href is None or not kind.startswith(("imsqti_test_xml", "imsqti_item_xml")):
            continue
        entry = Resource(resource.get("identifier", href), resolve_href(href, MANIFEST))
        if not package.has(entry.path):
            raise PackageRejected(f"{MANIFEST} names {entry.path}, which the zip lacks")
        (tests if kind.startswith("imsqti_test_xml") else items).append(entry)
    if not tests and not items:
        raise PackageRejected(f"{MANIFEST} names no QTI test or item")
    return Manifest(tuple(tests), tuple(items))
