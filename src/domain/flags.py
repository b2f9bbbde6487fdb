"""Flags: a candidate's marks on questions to come back to. They are notes to self, not
answers: they change neither the score nor the attempt's version."""

from __future__ import annotations

from domain.errors import AttemptAlreadyFinal, WrongExamMode
from domain.exam import Exam, ExamMode
from domain.live_attempt import LiveAttempt


def ensure_flaggable(attempt: LiveAttempt, exam: Exam, question_id: str) -> None:
    """A flag is set or cleared on a question of a fixed-form attempt still in progress
    (time left or not: a flag changes nothing that is scored)."""
    if attempt.is_final:
        raise AttemptAlreadyFinal("flags are for an attempt in progress")
    if exam.mode is not ExamMode.FIXED:
        raise WrongExamMode("an adaptive test does not go back to its items: nothing to flag")
    exam.question(question_id)
