from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from application.access import ensure_owner
from application.adaptive_engines import AdaptiveEngines
from application.adaptive_progress import AdaptiveProgress
from application.attempt_access import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.policy import TimingPolicy
from application.ports import AttemptRepository, Clock, Transaction
from domain.adaptive import AdaptiveEngine, AdaptiveState
from domain.attempt import Attempt
from domain.errors import DomainError, VersionConflict
from domain.exam import Exam, Question
from domain.responses import ResponseChange
from domain.result import AbilityEstimate, AttemptResult

# Each retry means a concurrent writer changed the attempt between our read and write.
_ATTEMPTS_AT_WRITING = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseCommand:
    actor: Actor
    attempt_id: UUID
    item_id: str
    option: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedResponse:
    """`ability` is the estimate after this response: for admins' eyes, or the result's.
    `result` is set when this response ended the test and the attempt was submitted."""

    items_completed: int
    done: bool
    version: int
    ability: AbilityEstimate
    result: AttemptResult | None = None


class RecordResponse:
    """The candidate answers the item an adaptive attempt administers now.

    Like a fixed-form answer: the rules run on hot state first, then one conditional
    write in PostgreSQL (which also requires the response count the engine chose the item
    from) is the final arbiter and is committed before the reply. When PostgreSQL
    refuses, the attempt and its engine state are rebuilt from PostgreSQL and the rules
    run again, so the client gets the precise error. A response that ends the test
    submits the attempt.
    """

    def __init__(
        self,
        loader: AttemptLoader,
        attempts: AttemptRepository,
        progress: AdaptiveProgress,
        engines: AdaptiveEngines,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._loader = loader
        self._attempts = attempts
        self._progress = progress
        self._engines = engines
        self._finaliser = finaliser
        self._transaction = transaction
        self._clock = clock
        self._policy = policy

    async def __call__(self, command: ResponseCommand) -> RecordedResponse:
        now = self._clock.now()
        attempt = await self._loader.live(command.attempt_id)
        ensure_owner(attempt, command.actor)
        exam = await self._loader.exam_of(attempt)
        engine = self._engines.engine_for(exam)  # WrongExamMode on a fixed-form exam
        state = await self._progress.for_response(attempt, exam)
        durable = False
        for _ in range(_ATTEMPTS_AT_WRITING):
            try:
                change = self._change(attempt, exam, engine, state, command, now, durable)
            except DomainError:
                if durable:
                    await self._finaliser.refuse_if_expired(attempt, now)
                    raise
                # Hot state may be behind PostgreSQL (an extension, a response): ask the source.
                (attempt, state), durable = await self._progress.rebuilt(attempt, exam), True
                continue
            version = await self._attempts.apply_response(
                change,
                answers_close_after=now - self._policy.network_grace,
                responses_before=state.items_administered,
            )
            if version is not None:
                # The write committed on its own; end whatever this request read.
                await self._transaction.rollback()
                index = engine.bank.index_of(command.item_id)
                state = engine.record(state, index, change.response.correct)
                await self._progress.keep(attempt.with_version(version), state)
                return await self._recorded(attempt, state, version, now)
            (attempt, state), durable = await self._progress.rebuilt(attempt, exam), True
        raise VersionConflict(attempt.version)

    def _change(
        self,
        attempt: Attempt,
        exam: Exam,
        engine: AdaptiveEngine,
        state: AdaptiveState,
        command: ResponseCommand,
        now: datetime,
        durable: bool,
    ) -> ResponseChange:
        """The domain's verdict. Hot state's version says nothing about responses, so only a
        copy read from PostgreSQL is checked against `expected_version` here; PostgreSQL
        checks it on every write anyway."""
        index = engine.next_item(state)
        administered: Question | None = None
        if index is not None:
            administered = exam.question(engine.bank.item_ids[index])
        change = attempt.record_response(
            command.item_id,
            command.option,
            administered=administered,
            now=now,
            network_grace=self._policy.network_grace,
            expected_version=command.expected_version if durable else None,
        )
        return replace(change, expected_version=command.expected_version)

    async def _recorded(
        self, attempt: Attempt, state: AdaptiveState, version: int, now: datetime
    ) -> RecordedResponse:
        ability = AbilityEstimate(theta=state.theta, se=state.se)
        result = None
        if state.finished:
            try:
                final = await self._finaliser.submit(attempt.id, now)
            except DomainError:
                # The response is committed; e.g. a pause came in between. The next
                # next-item request submits the attempt instead.
                final = None
            if final is not None:
                await self._progress.forget(final)
                version, result = final.version, final.result
        return RecordedResponse(
            items_completed=state.items_administered,
            done=state.finished,
            version=version,
            ability=ability,
            result=result,
        )
