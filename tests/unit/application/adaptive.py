"""Fixtures and helpers shared by the adaptive use-case tests."""

from __future__ import annotations

from datetime import timedelta

from domain.adaptive.exam_engine import engine_for, replay_responses
from domain.attempt import Attempt
from domain.exam import Exam
from domain.result import AbilityEstimate
from tests.fakes.adaptive import AdaptiveServices
from tests.fakes.builders import Services
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN
GRACE = timedelta(seconds=30)  # make_exam's
MAX_ITEMS = 4


async def answer_items(cat: AdaptiveServices, attempt: Attempt, options: str) -> list[str]:
    """Respond to the next items with these options in turn; returns the items given."""
    given = []
    for option in options:
        item_id = await cat.current_item(attempt)
        await cat.respond(attempt, item_id, option)
        given.append(item_id)
    return given


async def replayed_ability(services: Services, exam: Exam, attempt: Attempt) -> AbilityEstimate:
    stored = await services.stored(attempt.id)
    state = replay_responses(engine_for(exam), attempt.id, stored.responses)
    return AbilityEstimate(theta=state.theta, se=state.se)
