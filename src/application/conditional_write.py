"""The retry loop shared by the answer and the response writes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import DomainError, VersionConflict

Judged = TypeVar("Judged")  # what the rules judge: a live copy first, then the durable one
Change = TypeVar("Change")  # the change the rules accept
Written = TypeVar("Written")  # what storage reports of an applied change

# Each retry means a concurrent writer changed the attempt between our read and write.
ATTEMPTS_AT_WRITING = 3


@dataclass(frozen=True, slots=True)
class Accepted(Generic[Judged, Change, Written]):
    """The copy the change was decided on, the change, and what storage made of it."""

    judged: Judged
    change: Change
    written: Written


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionalWrite(Generic[Judged, Change, Written]):
    """Decide a change on the copy at hand, write it conditionally, and when either
    refuses ask PostgreSQL: the live copy may be behind (an extension, a version).

    The rules run on one copy per round; the conditional write is the final arbiter of
    time and version. A refusal on the durable copy is the client's answer (after
    `explain`, which may turn it into TimeIsUp with the result).
    """

    decide: Callable[[Judged], Change]
    write: Callable[[Judged, Change], Awaitable[Written | None]]
    reload: Callable[[Judged], Awaitable[Judged]]
    explain: Callable[[Judged], Awaitable[None]]
    version_of: Callable[[Judged], int]

    async def __call__(self, live: Judged) -> Accepted[Judged, Change, Written]:
        judged, durable = live, False
        for _ in range(ATTEMPTS_AT_WRITING):
            try:
                change = self.decide(judged)
            except DomainError:
                if durable:
                    await self.explain(judged)
                    raise
                judged, durable = await self.reload(judged), True
                continue
            written = await self.write(judged, change)
            if written is not None:
                return Accepted(judged, change, written)
            judged, durable = await self.reload(judged), True
        raise VersionConflict(self.version_of(judged))
