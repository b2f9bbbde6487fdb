"""Flags kept in memory on the fake attempt rows, like the SQL flag write keeps them."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from application.ports.attempt_flags import AttemptFlags
from domain.result import AttemptStatus
from tests.fakes.attempts import AttemptStore
from tests.fakes.transaction import FakeTransaction


class InMemoryAttemptFlags(AttemptFlags):
    """Stages each attempt's new flags in the transaction; committed rows change on commit.
    Like the SQL write, only the flags change: never the version, answers or events."""

    def __init__(self, transaction: FakeTransaction, store: AttemptStore) -> None:
        self.store = store
        self._transaction = transaction
        self._staged: dict[UUID, tuple[str, ...]] = {}

    async def set_flag(
        self, attempt_id: UUID, question_id: str, *, flagged: bool
    ) -> tuple[str, ...] | None:
        row = self.store.rows.get(attempt_id)
        if row is None or row.attempt.status is not AttemptStatus.IN_PROGRESS:
            return None
        flags = self._staged.get(attempt_id, row.attempt.flags)
        if flagged and question_id not in flags:
            flags = (*flags, question_id)
        elif not flagged:
            flags = tuple(flag for flag in flags if flag != question_id)
        self._staged[attempt_id] = flags
        self._transaction.join(self)
        return flags

    def check_staged(self) -> None:
        return None

    def publish_staged(self) -> None:
        for attempt_id, flags in self._staged.items():
            row = self.store.rows.get(attempt_id)
            if row is not None and row.attempt.status is AttemptStatus.IN_PROGRESS:
                row.attempt = replace(row.attempt, flags=flags)
        self.drop_staged()

    def drop_staged(self) -> None:
        self._staged.clear()
