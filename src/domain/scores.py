"""Points a scorer (an admin, or the platform) gives one answer the service cannot mark."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from domain.errors import ScoreRefused
from domain.exam import Question
from domain.questions import QuestionType
from domain.questions.scoring import shown


@dataclass(frozen=True, slots=True, kw_only=True)
class AwardedScore:
    points: Fraction
    scorer: str
    comment: str | None = None

    def __post_init__(self) -> None:
        if self.points < 0:
            raise ScoreRefused("points cannot be negative")

    def check_against(self, question: Question) -> None:
        if question.type not in {QuestionType.ESSAY, QuestionType.EXTERNAL}:
            raise ScoreRefused(f"question {question.id!r} is scored by the service")
        if self.points > question.max_points:
            raise ScoreRefused(
                f"question {question.id!r} is worth at most {float(question.max_points)} points"
            )

    def event_data(self, question_id: str) -> dict[str, object]:
        data: dict[str, object] = {
            "question_id": question_id,
            "points": float(shown(self.points)),
            "scorer": self.scorer,
        }
        if self.comment is not None:
            data["comment"] = self.comment
        return data
