"""An adaptive attempt: the next item, and the response to it."""

from __future__ import annotations

from msgspec import UNSET, Struct, UnsetType

from presentation.api.schemas.fields import Identifier, Version
from presentation.api.schemas.questions import QuestionForCandidate
from presentation.api.schemas.results import ResultOut


class ResponseIn(Struct, frozen=True):
    item_id: Identifier
    option: Identifier
    expected_version: Version | None = None


class NextItemOut(Struct, frozen=True, omit_defaults=True):
    """`{done: false, item, position}` or `{done: true, result}`."""

    done: bool
    item: QuestionForCandidate | UnsetType = UNSET
    position: int | UnsetType = UNSET
    result: ResultOut | UnsetType = UNSET


class RecordedResponseOut(Struct, frozen=True, omit_defaults=True):
    """`theta` and `se` are in the contract "for admins", but only the attempt's owner may
    respond, so they are never present: a candidate sees them in the result, at the end."""

    items_completed: int
    done: bool
    version: int
    theta: float | UnsetType = UNSET
    se: float | UnsetType = UNSET
    result: ResultOut | UnsetType = UNSET
