"""Keep the live audit table the size of the attempts still in play (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.ports import Transaction
from application.ports.event_archive import EventArchive


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchiveReport:
    attempts: int  # finished attempts looked at
    events: int  # events moved to the archive
    batches: int
    reclaimed: bool = False  # the tables were vacuumed after the move


class ArchiveFinishedEvents:
    """Moves the events of attempts finished before a time into the archive, a batch of
    attempts per transaction, so no lock or transaction grows with the backlog and it can
    run beside live traffic. Running it again carries on where it stopped: an attempt
    whose events were moved has none left to move. When events moved, the tables are
    then vacuumed (`reclaim`) unless the operator leaves that to autovacuum."""

    def __init__(self, archive: EventArchive, transaction: Transaction) -> None:
        self._archive = archive
        self._transaction = transaction

    async def __call__(
        self, finished_before: datetime, *, batch_size: int = 1000, reclaim: bool = True
    ) -> ArchiveReport:
        attempts = events = batches = 0
        after = None
        while True:
            try:
                batch = await self._archive.move_finished(finished_before, after, batch_size)
                await self._transaction.commit()
            except BaseException:
                await self._transaction.rollback()
                raise
            if batch.last_attempt_id is None:
                reclaimed = reclaim and events > 0
                if reclaimed:
                    await self._archive.reclaim()
                    await self._transaction.commit()  # gives back its autocommit connection
                return ArchiveReport(
                    attempts=attempts, events=events, batches=batches, reclaimed=reclaimed
                )
            attempts, events = attempts + batch.attempts, events + batch.events
            batches += 1
            after = batch.last_attempt_id
