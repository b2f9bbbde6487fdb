"""What each question earned in a final attempt: the rows of a results export."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from domain.exam import Exam, ExamMode


def question_points(
    exam: Exam, answers: Mapping[str, str], among: Collection[str] | None = None
) -> list[float | None]:
    """Points per question of `exam`, in its order: the question's points if answered right,
    0 if answered wrong or (fixed form) left blank; None where an adaptive test never
    administered the item, since it was not part of that candidate's test, for its
    pretest items, which are never scored, and for a question the attempt's drawn sections
    did not give it (`among`, as `Exam.given` counts it for the score)."""
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
            points.append(question.points if option == question.correct_key else 0.0)
    return points
