"""The start's and the submit's own writes over the in-memory attempts, committed by
themselves as the asyncpg adapters are (attempt_starts.py, final_writes.py)."""

from __future__ import annotations

from uuid import UUID

from application.errors import ActiveAttemptExists
from application.ports import AttemptStarts, FinalDecision, FinalWrites, StartFacts
from domain.attempt import Attempt
from tests.fakes.accommodations import InMemoryAccommodationRepository
from tests.fakes.attempts import InMemoryAttempts
from tests.fakes.exam_regrades import InMemoryExamRegrades
from tests.fakes.transaction import FakeTransaction


class InMemoryAttemptStarts(AttemptStarts):
    """Reads what the unit's session sees; `begin` stages the insert and commits it."""

    def __init__(
        self,
        attempts: InMemoryAttempts,
        accommodations: InMemoryAccommodationRepository,
        transaction: FakeTransaction,
    ) -> None:
        self._attempts = attempts
        self._accommodations = accommodations
        self._transaction = transaction

    async def facts(self, exam_id: UUID, candidate_id: str) -> StartFacts:
        return StartFacts(
            started_before=await self._attempts.count_for_candidate(exam_id, candidate_id),
            in_progress=await self._attempts.find_in_progress(exam_id, candidate_id) is not None,
            accommodation=await self._accommodations.get(exam_id, candidate_id),
        )

    async def begin_first(self, attempt: Attempt) -> bool:
        facts = await self.facts(attempt.exam_id, attempt.candidate_id)
        if facts.started_before or facts.accommodation is not None:
            return False
        try:
            await self.begin(attempt, number=1)
        except ActiveAttemptExists:  # another start of the candidate's came first
            return False
        return True

    async def begin(self, attempt: Attempt, *, number: int) -> None:
        # Unique as the indexes are: a losing race raises ActiveAttemptExists, unwritten.
        await self._attempts.add(attempt, number=number)
        await self._transaction.commit()


class InMemoryFinalWrites(FinalWrites):
    """Reads a copy, lets `decide` change it, writes it back only if the stored version is
    still the one read (else decides again), as the SQL write-back's compare-and-set."""

    def __init__(
        self,
        attempts: InMemoryAttempts,
        regrades: InMemoryExamRegrades,
        transaction: FakeTransaction,
    ) -> None:
        self._attempts = attempts
        self._regrades = regrades
        self._transaction = transaction

    async def finalise(self, attempt_id: UUID, decide: FinalDecision) -> Attempt | None:
        while True:
            attempt = await self._attempts.get(attempt_id)
            if attempt is None:
                return None
            read_version = attempt.version
            try:
                write = await decide(attempt, await self._regrades.of_exam(attempt.exam_id))
            except Exception:
                await self._transaction.rollback()  # nothing staged: the unit's work ends
                raise
            if not write:
                await self._transaction.rollback()
                return attempt
            await self._attempts.update(attempt)
            stored = self._attempts.store.rows[attempt_id].attempt
            if stored.version != read_version:  # another writer came first
                await self._transaction.rollback()
                continue
            await self._transaction.commit()
            return attempt
