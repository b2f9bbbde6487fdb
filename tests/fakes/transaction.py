"""The unit of work shared by the in-memory repositories."""

from __future__ import annotations

from typing import Protocol

from application.ports import Transaction


class Participant(Protocol):
    """A repository with writes staged in a transaction."""

    def check_staged(self) -> None:
        """Raise if the staged writes can no longer be committed."""
        ...

    def publish_staged(self) -> None:
        """Make the staged writes visible to every reader."""
        ...

    def drop_staged(self) -> None:
        """Forget the staged writes."""
        ...


class FakeTransaction(Transaction):
    """Counts commits and rollbacks; staged writes become visible only on commit.

    `fail_next_commit` makes the next commit raise that error after dropping the staged
    writes, as a database that refused the commit would. `journal`, when given, records
    "commit" and "rollback" so tests can check the order against other fakes.
    """

    def __init__(self, journal: list[str] | None = None) -> None:
        self.commits = 0
        self.rollbacks = 0
        self.reads_ended = 0
        self.fail_next_commit: Exception | None = None
        self.journal = journal if journal is not None else []
        self._participants: list[Participant] = []

    @property
    def has_staged_writes(self) -> bool:
        return bool(self._participants)

    def join(self, participant: Participant) -> None:
        if all(joined is not participant for joined in self._participants):
            self._participants.append(participant)

    async def commit(self) -> None:
        failure, self.fail_next_commit = self.fail_next_commit, None
        try:
            if failure is not None:
                raise failure
            for participant in self._participants:
                participant.check_staged()
        except Exception:
            self._drop()
            raise
        for participant in self._participants:
            participant.publish_staged()
        self._participants.clear()
        self.commits += 1
        self.journal.append("commit")

    async def rollback(self) -> None:
        self._drop()
        self.rollbacks += 1
        self.journal.append("rollback")

    async def end_reads(self) -> None:
        if self.has_staged_writes:
            raise AssertionError("end_reads() on a unit with staged writes or row locks")
        self.reads_ended += 1
        self.journal.append("end_reads")

    def _drop(self) -> None:
        for participant in self._participants:
            participant.drop_staged()
        self._participants.clear()
