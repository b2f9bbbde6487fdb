"""Content packages for the QTI reader's tests, built from the files under packages/.

The item files follow the specification examples of QTI 2.1 (packages/v2p1) and QTI 3.0
(packages/v3p0); the manifests follow the IMS Content Packaging profile each QTI version
uses (resource types imsqti_test_xmlv2p1 / imsqti_item_xmlv3p0 ...).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

PACKAGES = Path(__file__).parent / "packages"
VERSIONS = ("v2p1", "v3p0")
ITEMS = (
    "choice.xml",
    "choice_multiple.xml",
    "text_entry.xml",
    "text_entry_numeric.xml",
    "extended_text.xml",
    "order.xml",
)
_MANIFEST_NAMESPACE = {
    "v2p1": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "v3p0": "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
}


def spec_file(version: str, name: str) -> bytes:
    return (PACKAGES / version / name).read_bytes()


def manifest(version: str, *, tests: tuple[str, ...] = (), items: tuple[str, ...] = ()) -> bytes:
    test_type, item_type = f"imsqti_test_xml{version}", f"imsqti_item_xml{version}"
    resources = [_resource(f"test{n}", test_type, p) for n, p in enumerate(tests)]
    resources += [_resource(f"item{n}", item_type, p) for n, p in enumerate(items)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest xmlns="{_MANIFEST_NAMESPACE[version]}" identifier="package">\n'
        "  <metadata><schema>QTI Package</schema></metadata>\n"
        "  <organizations/>\n"
        f"  <resources>\n{''.join(resources)}  </resources>\n"
        "</manifest>\n"
    ).encode()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def spec_package(version: str) -> bytes:
    """The version's test and its six items; the 2.1 test lives in tests/ and names its
    items as ../items/..., the 3.0 test sits at the root and names items/..."""
    test_path = "tests/test.xml" if version == "v2p1" else "test.xml"
    files = {f"items/{name}": spec_file(version, name) for name in ITEMS}
    files[test_path] = spec_file(version, "test.xml")
    items = tuple(f"items/{name}" for name in ITEMS)
    files["imsmanifest.xml"] = manifest(version, tests=(test_path,), items=items)
    return zip_of(files)


def _resource(identifier: str, kind: str, href: str) -> str:
    return (
        f'    <resource identifier="{identifier}" type="{kind}" href="{href}">\n'
        f'      <file href="{href}"/>\n'
        "    </resource>\n"
    )
