"""Each interaction with an equivalent, read from the QTI 2.1 and 3.0 specification examples.

Every example is read on its own (a single item document is a valid upload) and must give
the same question in both versions: 3.0 only renamed the 2.1 vocabulary.
"""

from __future__ import annotations

import pytest

from application.ports.exam_packages import ExamPackageReader, JsonObject, JsonValue
from infrastructure.qti import QtiPackageReader
from tests.unit.infrastructure.qti.building import VERSIONS, spec_file

READER: ExamPackageReader = QtiPackageReader()


def _question(version: str, name: str) -> JsonObject:
    imported = READER.read(spec_file(version, name), name)
    assert imported.imported == 1
    assert imported.skipped == ()
    questions = imported.exam["questions"]
    assert isinstance(questions, list)
    question = questions[0]
    assert isinstance(question, dict)
    return question


def _keys(question: JsonObject) -> list[JsonValue]:
    options = question["options"]
    assert isinstance(options, list)
    return [option["key"] for option in options if isinstance(option, dict)]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_single_cardinality_choice_is_a_single_question(version: str) -> None:
    """QTI 2.1 / 3.0 example choice.xml ("Unattended Luggage"): choiceInteraction with a
    single-cardinality identifier response and match_correct processing."""
    question = _question(version, "choice.xml")
    assert question == {
        "id": "choice",
        "stem": "Look at the text in the picture.\n[NEVER LEAVE LUGGAGE UNATTENDED]\n"
        "What does it say?",
        "type": "single",
        "options": [
            {"key": "ChoiceA", "text": "You must stay with your luggage at all times."},
            {"key": "ChoiceB", "text": "Do not let someone else look after your luggage."},
            {"key": "ChoiceC", "text": "Remember your luggage when you leave."},
        ],
        "correct_key": "ChoiceA",
        "points": 1,
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_a_mapped_multiple_choice_is_partially_scored(version: str) -> None:
    """QTI 2.1 / 3.0 example choice_multiple.xml ("Composition of Water"): multiple
    cardinality with a mapping (upperBound 2) under map_response processing."""
    question = _question(version, "choice_multiple.xml")
    assert question["type"] == "multiple"
    assert question["correct_keys"] == ["H", "O"]
    assert question["scoring"] == "partial"
    assert question["points"] == 2  # the mapping's best: H + O, within upperBound
    assert _keys(question) == ["H", "He", "C", "O", "N", "Cl"]
    assert question["stem"] == "Which of the following elements are used to form water?"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_string_text_entry_is_a_text_question_with_every_credited_answer(version: str) -> None:
    """QTI 2.1 / 3.0 example text_entry.xml ("Richard III (Take 3)"): string response,
    correctResponse York, mapping York 1 and york 0.5, case-sensitive entries."""
    question = _question(version, "text_entry.xml")
    assert question["type"] == "text"
    assert question["accepted"] == ["York", "york"]
    assert question["case_sensitive"] is True
    assert question["points"] == 1
    assert "max_length" not in question  # expectedLength is a hint, not a limit
    stem = question["stem"]
    assert isinstance(stem, str)
    assert "Made glorious summer by this sun of ____;" in stem.splitlines()


@pytest.mark.parametrize(
    ("version", "numeric", "points"),
    [
        ("v2p1", {"value": 3.14159, "tolerance": 0.01, "relative": False}, 2),
        ("v3p0", {"value": 343, "tolerance": 0.05, "relative": True}, 1.5),
    ],
)
def test_a_numeric_text_entry_takes_its_tolerance_from_response_processing(
    version: str, numeric: JsonObject, points: float
) -> None:
    """QTI 2.1 / 3.0 information model, the `equal` operator: toleranceMode absolute with
    "t0 t1" bounds (the narrower is kept), relative in percent (5 % -> 0.05); MAXSCORE
    gives the points."""
    question = _question(version, "text_entry_numeric.xml")
    assert question["type"] == "numeric"
    assert question["numeric"] == numeric
    assert question["points"] == points
    assert "accepted" not in question


@pytest.mark.parametrize(("version", "max_length"), [("v2p1", 400), ("v3p0", None)])
def test_an_extended_text_is_an_essay_without_feedback_or_scorer_notes_in_its_stem(
    version: str, max_length: int | None
) -> None:
    """QTI 2.1 / 3.0 example extended_text.xml ("Writing a Postcard"): no correct
    response; SCORE normalMaximum 5 gives the points; a patternMask of at most N characters
    is the one hard length limit (expectedLength only sizes the box)."""
    question = _question(version, "extended_text.xml")
    assert question["type"] == "essay"
    assert question["points"] == 5
    assert question.get("max_length") == max_length
    assert question["stem"] == (
        "Read this postcard from your English pen-friend, Sam.\n"
        "Here is a postcard of my town. Please send me a postcard from your town. "
        "What size is your town? What is the nicest part of your town?\n"
        "Write Sam a postcard. Answer the questions. Write 25-35 words."
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_an_interaction_without_equivalent_is_reported_not_dropped(version: str) -> None:
    """QTI 2.1 / 3.0 example order.xml ("Grand Prix of Bahrain"): orderInteraction."""
    imported = READER.read(spec_file(version, "order.xml"), "order.xml")
    assert imported.imported == 0
    assert imported.exam["questions"] == []
    assert imported.report() == {
        "imported": 0,
        "skipped": [
            {"identifier": "order", "reason": "orderInteraction has no equivalent question type"}
        ],
    }
