"""AttemptLoader (hot state first, PostgreSQL when it matters) and the access rules."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

import pytest

from application.errors import AccessDenied, ApplicationError, AttemptNotFound, ExamNotFound
from application.permissions import ensure_admin, ensure_can_view, ensure_candidate, ensure_owner
from domain.attempt import Attempt
from domain.errors import DomainError, Refusal
from tests.fakes.builders import ADMIN, ALICE, BOB, Services, query


class TestLoader:
    async def test_live_reads_hot_state_without_answers(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "A")
        live = await services.loader.live(attempt.id)
        # Saves do not rewrite hot state: its version is the header's (PostgreSQL checks versions).
        assert (live.id, live.version) == (attempt.id, 0)
        # A live read has no answer sheet, so nothing can score it.
        assert not isinstance(live, Attempt)
        assert not hasattr(live, "answers")

    async def test_live_falls_back_to_the_repository(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "A")
        services.hot_state.down = True
        live = await services.loader.live(attempt.id)
        assert live.version == 1
        assert not isinstance(live, Attempt)
        durable = await services.loader.durable(attempt.id)
        assert durable.answers == {"q1": "A"}

    async def test_durable_reads_answers_and_refreshes_hot_state(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "A")
        services.hot_state.evict(attempt.id)
        durable = await services.loader.durable(attempt.id)
        assert durable.answers == {"q1": "A"}
        hot = services.hot_state.peek(attempt.id)
        assert hot is not None
        assert hot.version == 1

    async def test_durable_drops_the_hot_copy_of_a_final_attempt(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.hot_state.down = True
        await services.submit_attempt(query(attempt))
        services.hot_state.down = False
        await services.loader.durable(attempt.id)
        assert services.hot_state.peek(attempt.id) is None

    async def test_an_unknown_attempt(self, services: Services) -> None:
        with pytest.raises(AttemptNotFound):
            await services.loader.live(uuid4())
        with pytest.raises(AttemptNotFound):
            await services.loader.durable(uuid4())

    async def test_the_exam_of_an_attempt(self, services: Services, attempt: Attempt) -> None:
        assert (await services.loader.exam_of(attempt)).id == attempt.exam_id
        with pytest.raises(ExamNotFound):
            await services.loader.exam_of(replace(attempt, exam_id=uuid4()))


class TestAccess:
    def test_admin_only(self) -> None:
        ensure_admin(ADMIN)
        with pytest.raises(AccessDenied):
            ensure_admin(ALICE)

    def test_candidate_only(self) -> None:
        ensure_candidate(ALICE)
        with pytest.raises(AccessDenied):
            ensure_candidate(ADMIN)

    async def test_owner_or_admin_may_view(self, attempt: Attempt) -> None:
        ensure_can_view(attempt, ALICE)
        ensure_can_view(attempt, ADMIN)
        with pytest.raises(AccessDenied):
            ensure_can_view(attempt, BOB)

    async def test_only_the_owning_candidate_acts(self, attempt: Attempt) -> None:
        ensure_owner(attempt, ALICE)
        for actor in (BOB, ADMIN, replace(ADMIN, user_id="alice")):
            with pytest.raises(AccessDenied):
                ensure_owner(attempt, actor)


@pytest.mark.parametrize("error", [AttemptNotFound(), ExamNotFound(), AccessDenied()])
def test_application_errors_are_refusals_but_not_of_the_exam_rules(error: Exception) -> None:
    assert isinstance(error, ApplicationError)
    assert isinstance(error, Refusal)
    assert not isinstance(error, DomainError)
