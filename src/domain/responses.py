"""Responses of an adaptive attempt: one per administered item, in the order given."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.events import AttemptEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """The option the candidate chose for an administered item, and whether it was right.

    `correct` is kept so the engine can be replayed without the key; it never leaves the
    service before the attempt is final.
    """

    item_id: str
    option: str
    correct: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseChange:
    """One accepted response, as storage must append it.

    `expected_version` is the client's, when it sent one: storage applies the change only
    if the attempt is still at that version.
    """

    attempt_id: UUID
    response: Response
    expected_version: int | None
    event: AttemptEvent
