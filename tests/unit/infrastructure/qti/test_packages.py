"""Whole content packages: manifest, assessment test, sections and their clocks."""

from __future__ import annotations

from application.ports.exam_packages import ExamPackageReader, JsonValue
from infrastructure.qti import QtiPackageReader
from tests.unit.infrastructure.qti.building import ITEMS, manifest, spec_file, spec_package, zip_of

READER: ExamPackageReader = QtiPackageReader()


def _question_ids(questions: JsonValue) -> list[JsonValue]:
    assert isinstance(questions, list)
    return [q["id"] for q in questions if isinstance(q, dict)]


def test_a_qti_2_1_package_maps_its_linear_part_to_sequential_timed_sections() -> None:
    """QTI 2.1 information model, assessmentTest: timeLimits maxTime (seconds) on the test
    and on a section, testPart navigationMode linear; the Content Packaging manifest names
    the test (imsqti_test_xmlv2p1), which names its items relative to itself (../items)."""
    imported = READER.read(spec_package("v2p1"), "upload.zip")
    exam = imported.exam
    assert exam["title"] == "Reading and Chemistry"
    assert exam["mode"] == "fixed"
    assert exam["duration_seconds"] == 1800
    assert _question_ids(exam["questions"]) == ["luggage", "richard", "postcard", "water", "pi"]
    assert exam["sections"] == [
        {
            "id": "reading",
            "navigation": "sequential",
            "title": "Reading",
            "duration_seconds": 601,  # 600.5 rounded up: never less time than QTI gives
            "question_ids": ["luggage", "richard", "postcard"],
        },
        {
            "id": "science",
            "navigation": "sequential",
            "title": "Science",
            "question_ids": ["water", "pi"],
        },
    ]
    assert imported.report() == {
        "imported": 5,
        "skipped": [
            {"identifier": "bahrain", "reason": "orderInteraction has no equivalent question type"}
        ],
    }


def test_a_qti_3_0_package_maps_selection_ordering_and_reports_nested_clocks() -> None:
    """QTI 3.0 information model, qti-assessment-test: a nonlinear qti-test-part whose
    qti-time-limits become the exam's clock (the test has none), qti-selection and
    qti-ordering of a section, and a nested section with a clock of its own, which has no
    equivalent and is reported while its items join the enclosing section."""
    imported = READER.read(spec_package("v3p0"), "upload.zip")
    exam = imported.exam
    assert exam["duration_seconds"] == 2700
    assert exam["sections"] == [
        {
            "id": "reading",
            "navigation": "free",
            "title": "Reading",
            "duration_seconds": 900,
            "question_ids": ["luggage", "richard", "postcard"],
        },
        {
            "id": "science",
            "navigation": "free",
            "title": "Science",
            "draw": {"from": ["water", "sound"], "count": 2},
            "shuffle_questions": True,
        },
    ]
    assert imported.report()["skipped"] == [
        {"identifier": "writing", "reason": "own time limit inside section reading"},
        {"identifier": "bahrain", "reason": "orderInteraction has no equivalent question type"},
    ]


def test_a_package_of_items_without_a_test_is_one_untimed_exam_in_manifest_order() -> None:
    """IMS Content Packaging: a QTI 3.0 package may hold only item resources
    (imsqti_item_xmlv3p0); they become the exam's questions, in manifest order."""
    files = {f"q/{name}": spec_file("v3p0", name) for name in ITEMS}
    files["imsmanifest.xml"] = manifest("v3p0", items=tuple(f"q/{name}" for name in ITEMS))
    imported = READER.read(zip_of(files), "chemistry-bank.zip")
    exam = imported.exam
    assert exam["title"] == "chemistry-bank"
    assert "duration_seconds" not in exam  # QTI gave no clock; the caller must
    assert "sections" not in exam
    assert _question_ids(exam["questions"]) == [
        "choice",
        "choiceMultiple",
        "textEntry",
        "numeric",
        "extendedText",
    ]
    assert [s.identifier for s in imported.skipped] == ["order"]


def test_a_test_naming_an_item_the_package_lacks_reports_it_and_its_empty_section() -> None:
    """QTI 2.1 assessmentItemRef href: a file missing from the package is reported, and
    a section left with no question is reported rather than sent empty."""
    test = spec_file("v2p1", "test.xml")
    files = {
        "tests/test.xml": test,
        "items/choice_multiple.xml": spec_file("v2p1", "choice_multiple.xml"),
        "imsmanifest.xml": manifest("v2p1", tests=("tests/test.xml",)),
    }
    imported = READER.read(zip_of(files), None)
    assert _question_ids(imported.exam["questions"]) == ["water"]
    reasons = {s.identifier: s.reason for s in imported.skipped}
    assert reasons["luggage"] == "items/choice.xml is not in the package"
    assert reasons["reading"] == "no question of the section could be imported"
    sections = imported.exam["sections"]
    assert isinstance(sections, list)
    assert [s["id"] for s in sections if isinstance(s, dict)] == ["science"]


def test_a_single_test_document_reports_every_item_it_cannot_see() -> None:
    """A lone QTI 3.0 qti-assessment-test is a valid upload, but its items live in other
    files: each is reported, none is dropped silently."""
    imported = READER.read(spec_file("v3p0", "test.xml"), "test.xml")
    assert imported.imported == 0
    reasons = {s.identifier: s.reason for s in imported.skipped}
    assert list(reasons) == [
        "writing",  # its own clock
        "luggage",
        "richard",
        "postcard",
        "reading",  # left empty
        "water",
        "sound",
        "bahrain",
        "science",
    ]
    assert reasons["sound"] == (
        "items/text_entry_numeric.xml is not in the upload (send the whole package)"
    )


def test_only_the_first_of_several_tests_is_imported_and_the_others_are_reported() -> None:
    """IMS Content Packaging allows several test resources; one exam comes of one test."""
    files = {
        "a.xml": spec_file("v3p0", "test.xml"),
        "b.xml": spec_file("v3p0", "test.xml"),
        "imsmanifest.xml": manifest("v3p0", tests=("a.xml", "b.xml")),
    }
    imported = READER.read(zip_of(files), "two.zip")
    assert imported.skipped[-1].identifier == "test1"
    assert "only test0 is imported" in imported.skipped[-1].reason
