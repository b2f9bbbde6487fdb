"""An exam's shared question list is encoded once per exam object, as Litestar would."""

from __future__ import annotations

from dataclasses import replace

from litestar.serialization import encode_json

from domain.exam import Exam
from presentation.api.question_lists import SharedQuestionLists
from presentation.api.schemas.questions import QuestionForCandidate, candidate_question
from tests.fakes.builders import make_exam


def test_built_once_per_exam_and_encoded_as_litestar_encodes() -> None:
    exam, lists, builds = make_exam(), SharedQuestionLists(), []

    def build() -> list[QuestionForCandidate]:
        builds.append(1)
        return [candidate_question(q) for q in exam.questions]

    first = lists.encoded(exam, build)
    assert lists.encoded(exam, build) is first
    assert len(builds) == 1
    assert first == encode_json([candidate_question(q) for q in exam.questions])


def test_another_object_for_the_same_exam_is_built_again() -> None:
    exam, lists = make_exam(), SharedQuestionLists()
    lists.encoded(exam, lambda: [candidate_question(q) for q in exam.questions])
    changed = replace(exam, questions=exam.questions[:1])
    body = lists.encoded(changed, lambda: [candidate_question(q) for q in changed.questions])
    assert body == encode_json([candidate_question(changed.questions[0])])


def test_the_least_recently_listed_exam_goes_when_full() -> None:
    lists, exams = SharedQuestionLists(exams=2), [make_exam() for _ in range(3)]
    built: list[Exam] = []

    def listing(exam: Exam) -> None:
        def build() -> list[QuestionForCandidate]:
            built.append(exam)
            return []

        lists.encoded(exam, build)

    for exam in [*exams, exams[2], exams[0]]:
        listing(exam)
    assert built == [*exams, exams[0]]
