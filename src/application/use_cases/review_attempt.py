"""Reviewing an attempt question by question, as far as the exam's policy allows."""

from __future__ import annotations

from application.attempt_loader import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.permissions import ensure_can_view
from application.ports import Clock
from application.use_cases.read_attempt import AttemptQuery
from domain.review import QuestionReview, ReviewNotOpen, candidate_review, review_of


class ReviewAttempt:
    """An admin reviews any attempt at any time, correct answers included. Its candidate
    reviews it once it is final, as the exam's `review` policy allows: ReviewNotOpen
    (409) before, ReviewForbidden (403) when the policy shows nothing per question."""

    def __init__(self, loader: AttemptLoader, finaliser: AttemptFinaliser, clock: Clock) -> None:
        self._loader = loader
        self._finaliser = finaliser
        self._clock = clock

    async def __call__(self, query: AttemptQuery) -> tuple[QuestionReview, ...]:
        attempt = await self._loader.durable(query.attempt_id)
        ensure_can_view(attempt, query.actor)
        now = self._clock.now()
        attempt = await self._finaliser.settle(attempt, now)
        # Through its regrades, so each question's points add up to the attempt's score.
        exam = await self._loader.scoring_exam_of(attempt)
        awarded = attempt.awarded_points()
        given = attempt.given_questions()
        if query.actor.is_admin:
            return review_of(exam, attempt.answers, show_responses=True, show_correct=True,
                             awarded=awarded, among=given)  # fmt: skip
        if not attempt.is_final:
            raise ReviewNotOpen()
        return candidate_review(exam, attempt.answers, now=now, awarded=awarded, among=given)
