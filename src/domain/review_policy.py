"""An exam's review policy: how much of a finalised attempt its candidate sees."""

from __future__ import annotations

from enum import StrEnum


class ReviewPolicy(StrEnum):
    """From least to most; an admin always sees everything."""

    NONE = "none"  # nothing per question (the attempt's result still shows the score)
    SCORE = "score"  # each question's points
    RESPONSES = "responses"  # ... and what the candidate answered
    FULL = "full"  # ... and the correct answer, once the exam has closed
