"""The adaptive use cases wired on the in-memory fakes of a `Services`."""

from __future__ import annotations

from dataclasses import dataclass

from application.adaptive_engines import AdaptiveEngines
from application.adaptive_progress import AdaptiveProgress
from application.candidate_priors import CandidatePriors
from application.identity import Actor
from application.use_cases.next_item import GetNextItem, NextItem, NextItemQuery
from application.use_cases.record_response import (
    RecordedResponse,
    RecordResponse,
    ResponseCommand,
)
from domain.attempt import Attempt
from tests.fakes.adaptive_state import InMemoryAdaptiveStateStore
from tests.fakes.builders import ALICE, Services


@dataclass
class AdaptiveServices:
    """`GetNextItem` and `RecordResponse` over one session's fakes and a lossy state store."""

    services: Services
    store: InMemoryAdaptiveStateStore
    engines: AdaptiveEngines
    progress: AdaptiveProgress
    get_next_item: GetNextItem
    record_response: RecordResponse

    async def next(self, attempt: Attempt, actor: Actor = ALICE) -> NextItem:
        return await self.get_next_item(NextItemQuery(actor=actor, attempt_id=attempt.id))

    async def respond(
        self,
        attempt: Attempt,
        item_id: str,
        option: str,
        *,
        actor: Actor = ALICE,
        expected_version: int | None = None,
    ) -> RecordedResponse:
        command = ResponseCommand(
            actor=actor,
            attempt_id=attempt.id,
            item_id=item_id,
            option=option,
            expected_version=expected_version,
        )
        return await self.record_response(command)

    async def current_item(self, attempt: Attempt) -> str:
        found = await self.next(attempt)
        assert found.item is not None, "the test has ended"
        return found.item.id


def wire_adaptive(
    services: Services, store: InMemoryAdaptiveStateStore | None = None
) -> AdaptiveServices:
    """The adaptive use cases of `services`' process; with `store`, of another process
    (its own engine-state copies) sharing that Redis-like state."""
    s = services
    engines = AdaptiveEngines()
    if store is None or store is s.adaptive_states:
        store, progress = s.adaptive_states, s.adaptive_progress
    else:
        assert s.proficiencies is not None
        progress = AdaptiveProgress(s.loader, store, engines, CandidatePriors(s.proficiencies))
    return AdaptiveServices(
        services=s,
        store=store,
        engines=engines,
        progress=progress,
        get_next_item=GetNextItem(s.loader, progress, engines, s.finaliser, s.clock, s.policy),
        record_response=RecordResponse(
            s.loader,
            s.attempts,
            progress,
            engines,
            s.finaliser,
            s.transaction,
            s.clock,
            s.policy,
        ),
    )
