from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.attempt import AnswerChange
from domain.responses import ResponseChange


@dataclass(frozen=True, slots=True)
class AppliedAnswer:
    """What PostgreSQL says of an applied answer change: the attempt's new version, its
    deadline as stored, and whether the change came in after it (within the network grace)."""

    version: int
    deadline: datetime
    late: bool


@dataclass(frozen=True, slots=True)
class StaleVersion:
    """An answer change refused only because the attempt is at another version than the
    change expected: it is in progress, not paused and still taking answers."""

    current_version: int


class AnswerWrites(Protocol):
    """The hot-path writes: one answer or response, applied conditionally and durably.

    Each runs on its own, outside the unit's transaction: durable when it returns,
    whatever the unit does afterwards. The store is the final arbiter of every condition
    (status, pause, deadline, version), and it marks an event late against the deadline
    it holds.
    """

    async def apply_answer(
        self, change: AnswerChange, *, answers_close_after: datetime
    ) -> AppliedAnswer | StaleVersion | None:
        """Apply one answer change and append its event, if the store agrees.

        The change applies only while the attempt is in progress, not paused, its
        deadline is after `answers_close_after`, and (when the change carries one) its
        version equals `expected_version`. Returns what was applied; `StaleVersion` when
        only the version kept it out (so the caller can answer the conflict without
        reading the attempt); None when another condition failed.
        """
        ...

    async def apply_response(
        self, change: ResponseChange, *, answers_close_after: datetime, responses_before: int
    ) -> int | None:
        """Append one adaptive response (also set as the item's answer) and its event, if
        the store agrees it is allowed.

        The same conditions as `apply_answer`, and the attempt must hold exactly
        `responses_before` responses: the engine chose the item from those, so a concurrent
        response to the same item matches nothing. Returns the new version, or None.
        """
        ...
