"""What each question earned in a final attempt: the rows of a results export."""

from __future__ import annotations

from collections.abc import Mapping

from domain.exam import Exam, ExamMode


def question_points(exam: Exam, answers: Mapping[str, str]) -> list[float | None]:
    """Points per question of `exam`, in its order: the question's points if answered right,
    0 if answered wrong or (fixed form) left blank; None where an adaptive test never
    administered the item, since it was not part of that candidate's test, and for its
    pretest items, which are never scored."""
    adaptive = exam.mode is ExamMode.ADAPTIVE
    unscored = exam.pretest_item_ids
    points: list[float | None] = []
    for question in exam.questions:
        option = answers.get(question.id)
        if question.id in unscored:
            points.append(None)
        elif option is None:
            points.append(None if adaptive else 0.0)
        else:
            points.append(question.points if option == question.correct_key else 0.0)
    return points
