"""Safe XML parsing, and one vocabulary for QTI 2.1 and 3.0.

QTI 3.0 renamed every element and attribute to kebab case with a `qti-` prefix
(`qti-choice-interaction`, `response-identifier`); 2.1 uses camel case (`choiceInteraction`,
`responseIdentifier`). Documents are rewritten to the 2.1 names without namespaces, so the
mapping code reads one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from application.ports.exam_packages import PackageRejected

QTI_2_NAMESPACES = frozenset(
    {"http://www.imsglobal.org/xsd/imsqti_v2p1", "http://www.imsglobal.org/xsd/imsqti_v2p2"}
)
QTI_3_NAMESPACE = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"


def _parser() -> etree.XMLParser:
    # No entity expansion, no DTD, no network, no multi-gigabyte trees: an upload is hostile
    # until proven otherwise. Documents with a DOCTYPE are refused outright below.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A parsed document: its root with namespaces dropped, and the root's namespace."""

    root: etree._Element
    namespace: str | None

    @property
    def is_qti(self) -> bool:
        return self.namespace == QTI_3_NAMESPACE or self.namespace in QTI_2_NAMESPACES


def parse_xml(data: bytes, name: str) -> XmlDocument:
    """The document `name`; PackageRejected if it is not well-formed or declares a DTD."""
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except (etree.XMLSyntaxError, ValueError) as error:
        raise PackageRejected(f"{name} is not well-formed XML: {error}") from error
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise PackageRejected(f"{name} declares a DTD; QTI documents have none")
    root = tree.getroot()
    namespace = etree.QName(root).namespace
    for element in root.iter(etree.Element):
        _rename(element)
    return XmlDocument(root, namespace)


def _rename(element: etree._Element) -> None:
    name = etree.QName(element)
    if name.namespace != QTI_3_NAMESPACE:  # QTI 2.x, or MathML and the like inside QTI 3
        element.tag = name.localname
        return
    element.tag = _camel(name.localname.removeprefix("qti-"))
    for attribute in [a for a in element.attrib if "-" in a and not a.startswith("{")]:
        element.attrib[_camel(attribute)] = element.attrib.pop(attribute)


def _camel(kebab: str) -> str:
    head, *rest = kebab.split("-")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)
