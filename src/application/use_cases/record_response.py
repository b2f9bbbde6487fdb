from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.adaptive_engines import AdaptiveEngines
from application.adaptive_progress import AdaptiveProgress
from application.attempt_loader import AttemptLoader
from application.conditional_write import ConditionalWrite
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_owner
from application.policy import TimingPolicy
from application.ports import AnswerWrites, Clock, Transaction
from domain.adaptive import AdaptiveEngine, AdaptiveState
from domain.adaptive.exam_engine import ability_of
from domain.attempt import LiveAttempt
from domain.errors import AttemptPaused
from domain.exam import Exam, Question
from domain.responses import ResponseChange
from domain.result import AbilityEstimate, AttemptResult

# What a response is judged on: the attempt and its engine state, live or rebuilt together.
Standing = tuple[LiveAttempt, AdaptiveState]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseCommand:
    actor: Actor
    attempt_id: UUID
    item_id: str
    option: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedResponse:
    """`result` is set when this response ended the test and the attempt was submitted."""

    items_completed: int
    done: bool
    version: int
    state: AdaptiveState
    engine: AdaptiveEngine
    result: AttemptResult | None = None

    @property
    def ability(self) -> AbilityEstimate:
        """The estimate after this response. Worked out when asked: the candidate's reply
        never carries it (they see theta and se in the result), and a classification
        test's decision is a pass over every response."""
        return ability_of(self.state, self.engine)


class RecordResponse:
    """The candidate answers the item an adaptive attempt administers now.

    Like a fixed-form answer: the live copy and the engine state decide the response,
    then one conditional write in PostgreSQL (which also requires the response count the
    engine chose the item from) is the final arbiter and is committed before the reply.
    When either refuses, the attempt and its engine state are rebuilt from PostgreSQL and
    decide again, so the client gets the precise error. A response that ends the test
    submits the attempt.
    """

    def __init__(
        self,
        loader: AttemptLoader,
        answers: AnswerWrites,
        progress: AdaptiveProgress,
        engines: AdaptiveEngines,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._loader = loader
        self._answers = answers
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
        self._engines.engine_for(exam)  # WrongExamMode on a fixed-form exam
        # From the attempt's prior: a state without its grid is rebuilt from it.
        engine = await self._progress.engine_for(attempt, exam)
        state = await self._progress.for_response(attempt, exam)
        grace = self._policy.network_grace

        def decide(judged: Standing) -> ResponseChange:
            return _response(judged[0], exam, engine, judged[1], command, now, grace)

        async def write(judged: Standing, change: ResponseChange) -> int | None:
            version = await self._answers.apply_response(
                change,
                answers_close_after=now - grace,
                responses_before=judged[1].items_administered,
            )
            if version is not None:
                await self._transaction.end_reads()
            return version

        async def reload(judged: Standing) -> Standing:
            return await self._progress.rebuilt(judged[0], exam)

        async def explain(judged: Standing) -> None:
            await self._finaliser.refuse_if_expired(judged[0], now)

        accepted = await ConditionalWrite(
            decide=decide,
            write=write,
            reload=reload,
            explain=explain,
            version_of=lambda judged: judged[0].version,
        )((attempt, state))
        (attempt, state), version = accepted.judged, accepted.written
        index = engine.bank.index_of(command.item_id)
        state = engine.record(state, index, accepted.change.response.correct)
        await self._progress.keep(attempt.with_version(version), state)
        return await self._recorded(attempt, state, version, now, engine)

    async def _recorded(
        self,
        attempt: LiveAttempt,
        state: AdaptiveState,
        version: int,
        now: datetime,
        engine: AdaptiveEngine,
    ) -> RecordedResponse:
        result = None
        if state.finished:
            try:
                final = await self._finaliser.submit(attempt.id, now)
            except AttemptPaused:
                # The response is committed and a pause came in between: the next
                # next-item request submits the attempt instead.
                final = None
            if final is not None:
                await self._progress.forget(final)
                version, result = final.version, final.result
        return RecordedResponse(
            items_completed=state.items_administered,
            done=state.finished,
            version=version,
            state=state,
            engine=engine,
            result=result,
        )


def _response(
    attempt: LiveAttempt,
    exam: Exam,
    engine: AdaptiveEngine,
    state: AdaptiveState,
    command: ResponseCommand,
    now: datetime,
    network_grace: timedelta,
) -> ResponseChange:
    """The response the attempt would record to the item the engine administers now."""
    index = engine.next_item(state)
    administered: Question | None = None
    if index is not None:
        administered = exam.question(engine.bank.item_ids[index])
    return attempt.response_change(
        command.item_id,
        command.option,
        administered=administered,
        now=now,
        network_grace=network_grace,
        expected_version=command.expected_version,
    )
