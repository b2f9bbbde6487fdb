"""What each question earned in a final attempt: the rows of a results export."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from fractions import Fraction

from domain.exam import Exam, ExamMode
from domain.questions.base import JsonValue
from domain.review import question_points as marked_points


def question_points(
    exam: Exam,
    answers: Mapping[str, JsonValue],
    among: Collection[str] | None = None,
    awarded: Mapping[str, Fraction] | None = None,
) -> list[float | None]:
    """Points per question of `exam`, in its order: what the answer earns by its type's
    marking, as the score counts it (a scorer's `awarded` points for an essay or external
    answer, None while it awaits them); 0 if (fixed form) left blank. None where an
    adaptive test never administered the item, since it was not part of that candidate's
    test, for its pretest items, which are never scored, and for a question the attempt's
    drawn sections did not give it (`among`, as `Exam.given` counts it for the score)."""
    adaptive = exam.mode is ExamMode.ADAPTIVE
    unscored = exam.pretest_item_ids
    given = None if among is None else {question.id for question in exam.given(among)}
    points: list[float | None] = []
    for question in exam.questions:
        option = answers.get(question.id)
        if question.id in unscored or (given is not None and question.id not in given):
            points.append(None)
        elif option is None:
            points.append(None if adaptive else 0.0)
        else:
            points.append(marked_points(question, option, awarded))
    return points
