"""Attempts as listed: an attempt without its answers, and a page of them."""

from __future__ import annotations

from datetime import datetime

from msgspec import UNSET, Struct, UnsetType

from application.use_cases.list_attempts import AttemptPage
from domain.attempt import LiveAttempt
from presentation.api.attempt_cursor import encode_cursor
from presentation.api.schemas.attempt_standing import AttemptStandingOut, standing_fields
from presentation.api.schemas.results import ResultOut


class AttemptSummaryOut(AttemptStandingOut, frozen=True, omit_defaults=True):
    result: ResultOut | UnsetType = UNSET


class AttemptPageOut(Struct, frozen=True):
    items: list[AttemptSummaryOut]
    next_cursor: str | None
    server_time: datetime


def attempt_summary_out(attempt: LiveAttempt, server_time: datetime) -> AttemptSummaryOut:
    return AttemptSummaryOut(**standing_fields(attempt, server_time))


def attempt_page_out(page: AttemptPage) -> AttemptPageOut:
    following = page.next_position
    return AttemptPageOut(
        items=[attempt_summary_out(attempt, page.server_time) for attempt in page.attempts],
        next_cursor=None if following is None else encode_cursor(following),
        server_time=page.server_time,
    )
