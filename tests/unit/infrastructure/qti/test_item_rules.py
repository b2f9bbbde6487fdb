"""Item-level rules beyond the specification examples: what is reported, how scores and
tolerances are derived, what never reaches the stem."""

from __future__ import annotations

import pytest

from application.ports.exam_packages import ImportedExam, JsonObject
from infrastructure.qti import QtiPackageReader

READER = QtiPackageReader()


def _v2p1(body: str, declarations: str = "", processing: str = "", attrs: str = "") -> bytes:
    return (
        '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="q1" '
        f'title="Q" adaptive="false" timeDependent="false" {attrs}>{declarations}'
        f"<itemBody>{body}</itemBody>{processing}</assessmentItem>"
    ).encode()


def _v3p0(body: str, declarations: str = "", processing: str = "") -> bytes:
    return (
        '<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" '
        f'identifier="q1" title="Q">{declarations}<qti-item-body>{body}</qti-item-body>'
        f"{processing}</qti-assessment-item>"
    ).encode()


def _declaration(cardinality: str, base_type: str, inner: str = "") -> str:
    return (
        f'<responseDeclaration identifier="R" cardinality="{cardinality}" '
        f'baseType="{base_type}">{inner}</responseDeclaration>'
    )


_CHOICES = (
    '<simpleChoice identifier="A">Alpha</simpleChoice>'
    '<simpleChoice identifier="B">Beta</simpleChoice>'
    '<simpleChoice identifier="C">Gamma</simpleChoice>'
)
_CORRECT_A = "<correctResponse><value>A</value></correctResponse>"
_TEXT_ENTRY = '<p>Answer: <textEntryInteraction responseIdentifier="R"/></p>'


def _only_question(imported: ImportedExam) -> JsonObject:
    assert imported.skipped == ()
    questions = imported.exam["questions"]
    assert isinstance(questions, list)
    assert len(questions) == 1
    assert isinstance(questions[0], dict)
    return questions[0]


def _skip_reason(imported: ImportedExam) -> str:
    assert imported.imported == 0
    assert imported.exam["questions"] == []
    (skipped,) = imported.skipped
    assert skipped.identifier == "q1"
    return skipped.reason


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (
            _v2p1(
                f'<choiceInteraction responseIdentifier="R">{_CHOICES}</choiceInteraction>'
                + _TEXT_ENTRY,
                _declaration("single", "identifier", _CORRECT_A),
            ),
            "composite item with 2 interactions (choiceInteraction, textEntryInteraction)",
        ),
        (
            _v2p1(_TEXT_ENTRY, _declaration("single", "string"), attrs='adaptive="true"').replace(
                b'adaptive="false" ', b""
            ),
            "adaptive item (its scoring changes between attempts)",
        ),
        (
            _v2p1(
                _TEXT_ENTRY,
                _declaration("single", "integer")
                + '<templateDeclaration identifier="X" cardinality="single" baseType="integer"/>',
            ),
            "template item (its values are drawn per candidate)",
        ),
        (_v2p1("<p>Read this.</p>"), "no interaction"),
        (_v2p1(_TEXT_ENTRY), "no responseDeclaration for 'R'"),
        (_v2p1(_TEXT_ENTRY, _declaration("single", "string")), "no correct response"),
        (
            _v2p1(_TEXT_ENTRY, _declaration("multiple", "string")),
            "textEntryInteraction with multiple cardinality",
        ),
        (
            _v2p1(
                _TEXT_ENTRY,
                _declaration(
                    "single", "float", "<correctResponse><value>NaN</value></correctResponse>"
                ),
            ),
            "correct response 'NaN' is not a number",
        ),
        (
            _v3p0(
                '<qti-upload-interaction response-identifier="R"/>',
                '<qti-response-declaration identifier="R" cardinality="single" base-type="file"/>',
            ),
            "uploadInteraction has no equivalent question type",
        ),
    ],
    ids=[
        "composite",
        "adaptive",
        "template",
        "no interaction",
        "no declaration",
        "no correct response",
        "several strings",
        "NaN",
        "upload (3.0)",
    ],
)
def test_items_without_an_equivalent_are_reported_with_the_reason(item: bytes, reason: str) -> None:
    """QTI 2.1 / 3.0 information model: adaptive items, templateDeclaration, several
    interactions in one itemBody, and other interaction types have no equivalent here."""
    assert _skip_reason(READER.read(item)) == reason


def test_a_single_choice_without_correct_response_takes_the_best_mapped_key() -> None:
    """QTI 2.1 mapping without correctResponse: the key worth most is the right one, and
    it is worth the points."""
    mapping = (
        '<mapping defaultValue="0"><mapEntry mapKey="A" mappedValue="0.5"/>'
        '<mapEntry mapKey="C" mappedValue="2"/></mapping>'
    )
    body = f'<choiceInteraction responseIdentifier="R">{_CHOICES}</choiceInteraction>'
    question = _only_question(
        READER.read(_v2p1(body, _declaration("single", "identifier", mapping)))
    )
    assert question["correct_key"] == "C"
    assert question["points"] == 2


def test_a_multiple_choice_without_mapping_is_all_or_nothing() -> None:
    """QTI 2.1 match_correct on a multiple-cardinality response: every key or nothing."""
    correct = "<correctResponse><value>A</value><value>C</value></correctResponse>"
    body = (
        f'<choiceInteraction responseIdentifier="R" maxChoices="0">{_CHOICES}</choiceInteraction>'
    )
    question = _only_question(
        READER.read(_v2p1(body, _declaration("multiple", "identifier", correct)))
    )
    assert question["correct_keys"] == ["A", "C"]
    assert question["scoring"] == "all_or_nothing"
    assert question["points"] == 1


def test_a_multiple_choice_without_correct_response_credits_every_rewarded_key() -> None:
    """QTI 3.0 qti-mapping without qti-correct-response: the rewarded keys are the right
    ones (partial credit), worth their sum within upper-bound."""
    declaration = (
        '<qti-response-declaration identifier="R" cardinality="multiple" base-type="identifier">'
        '<qti-mapping default-value="0" upper-bound="2.5"><qti-map-entry map-key="C" '
        'mapped-value="1"/><qti-map-entry map-key="B" mapped-value="-1"/>'
        '<qti-map-entry map-key="A" mapped-value="2"/></qti-mapping></qti-response-declaration>'
    )
    choices = "".join(
        f'<qti-simple-choice identifier="{key}">{key}</qti-simple-choice>' for key in "ABC"
    )
    body = f'<qti-choice-interaction response-identifier="R">{choices}</qti-choice-interaction>'
    question = _only_question(READER.read(_v3p0(body, declaration)))
    assert question["correct_keys"] == ["C", "A"]
    assert question["scoring"] == "partial"
    assert question["points"] == 2.5


def test_case_insensitive_map_entries_give_a_case_insensitive_text_question() -> None:
    """QTI 2.1 mapEntry caseSensitive="false", no correctResponse: only credited keys are
    accepted, and the best of them gives the points."""
    mapping = (
        '<mapping defaultValue="0">'
        '<mapEntry mapKey="Paris" mappedValue="2" caseSensitive="false"/>'
        '<mapEntry mapKey="Lyon" mappedValue="0" caseSensitive="false"/></mapping>'
    )
    imported = READER.read(_v2p1(_TEXT_ENTRY, _declaration("single", "string", mapping)))
    question = _only_question(imported)
    assert question["accepted"] == ["Paris"]
    assert question["case_sensitive"] is False
    assert question["points"] == 2


@pytest.mark.parametrize(
    ("mode", "figures", "value", "tolerance"),
    [("decimalPlaces", "2", "2.72", 0.005), ("significantFigures", "3", "1234.5", 5)],
)
def test_equal_rounded_becomes_half_a_unit_of_the_last_figure(
    mode: str, figures: str, value: str, tolerance: float
) -> None:
    """QTI 3.0 qti-equal-rounded (rounding-mode, figures): what rounds to the correct value
    lies within half a unit of its last kept figure."""
    declaration = (
        '<qti-response-declaration identifier="R" cardinality="single" base-type="float">'
        f"<qti-correct-response><qti-value>{value}</qti-value></qti-correct-response>"
        "</qti-response-declaration>"
    )
    processing = (
        "<qti-response-processing><qti-response-condition><qti-response-if>"
        f'<qti-equal-rounded rounding-mode="{mode}" figures="{figures}">'
        '<qti-variable identifier="R"/><qti-correct identifier="R"/></qti-equal-rounded>'
        "</qti-response-if></qti-response-condition></qti-response-processing>"
    )
    body = '<p>Value: <qti-text-entry-interaction response-identifier="R"/></p>'
    question = _only_question(READER.read(_v3p0(body, declaration, processing)))
    assert question["numeric"] == {"value": float(value), "tolerance": tolerance, "relative": False}


def test_feedback_and_scripts_never_reach_the_stem_or_the_options() -> None:
    """QTI 2.1 feedbackInline and modalFeedback often state the answer; a candidate sees
    only the question."""
    body = (
        "<p>Pick one.<script>alert(1)</script></p>"
        '<choiceInteraction responseIdentifier="R">'
        '<simpleChoice identifier="A">Alpha<feedbackInline outcomeIdentifier="F" '
        'identifier="A" showHide="show">Right, it is A</feedbackInline></simpleChoice>'
        '<simpleChoice identifier="B">Beta</simpleChoice></choiceInteraction>'
    )
    feedback = (
        '<modalFeedback outcomeIdentifier="F" identifier="A" showHide="show">A!</modalFeedback>'
    )
    item = _v2p1(body, _declaration("single", "identifier", _CORRECT_A), feedback)
    question = _only_question(READER.read(item))
    assert question["stem"] == "Pick one."
    assert question["options"] == [{"key": "A", "text": "Alpha"}, {"key": "B", "text": "Beta"}]


def test_mathml_reads_as_its_formula_once_in_both_versions() -> None:
    """QTI 2.1 and 3.0 allow MathML in the item body; its LaTeX annotation is not text."""
    math = (
        '<m:math xmlns:m="http://www.w3.org/1998/Math/MathML"><m:semantics><m:mrow>'
        "<m:mi>x</m:mi><m:mo>+</m:mo><m:mn>1</m:mn></m:mrow>"
        '<m:annotation-xml encoding="application/x-tex">x + 1</m:annotation-xml>'
        "</m:semantics></m:math>"
    )
    v2p1 = _v2p1(
        f'<p>Solve {math} = 3: <textEntryInteraction responseIdentifier="R"/></p>',
        _declaration("single", "integer", "<correctResponse><value>2</value></correctResponse>"),
    )
    v3p0 = _v3p0(
        f'<p>Solve {math} = 3: <qti-text-entry-interaction response-identifier="R"/></p>',
        '<qti-response-declaration identifier="R" cardinality="single" base-type="integer">'
        "<qti-correct-response><qti-value>2</qti-value></qti-correct-response>"
        "</qti-response-declaration>",
    )
    for item in (v2p1, v3p0):
        assert _only_question(READER.read(item))["stem"] == "Solve x+1 = 3: ____"
