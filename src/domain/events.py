"""Audit events: the append-only history of an attempt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EventKind(StrEnum):
    STARTED = "started"
    RESUMED = "resumed"
    ANSWER_SAVED = "answer_saved"
    ANSWER_CLEARED = "answer_cleared"
    SUBMITTED = "submitted"
    EXPIRED = "expired"
    TIME_EXTENDED = "time_extended"
    ACCOMMODATED = "accommodated"
    PAUSED = "paused"
    UNPAUSED = "unpaused"
    RESPONSE_RECORDED = "response_recorded"
    QUESTION_SCORED = "question_scored"
    ATTEMPT_RESCORED = "attempt_rescored"
    TERMINATED = "terminated"
    REOPENED = "reopened"
    SECTION_FINISHED = "section_finished"
    MOVED_ON = "moved_on"


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptEvent:
    kind: EventKind
    at: datetime
    version: int
    data: Mapping[str, object] = field(default_factory=dict)
