"""The conditional response write of adaptive attempts: one hand-written statement.

Like the answer write, one data-modifying CTE appends the response, sets it as the
item's answer (so scoring needs nothing else), bumps the version and appends the audit
event in a single round trip, and PostgreSQL evaluates every condition against the row
as it is when the UPDATE locks it. Beyond the answer's conditions (status, pause,
deadline, expected version) the attempt must hold exactly the responses the engine chose
the item from: of two concurrent responses to the same item, exactly one is appended.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, Integer, Text, Uuid, bindparam, text
from sqlalchemy.dialects.postgresql import JSONB

from domain.responses import ResponseChange

# Typed parameters render as $n::TYPE casts: PostgreSQL cannot infer a type for
# `:expected IS NULL` or jsonb_build_object's arguments, and asyncpg must know each one.
RECORD_RESPONSE = text(
    """
WITH updated AS (
    UPDATE attempts
    SET responses = responses || jsonb_build_array(
            jsonb_build_object('item_id', :item_id, 'option', :option, 'correct', :correct)
        ),
        answers = answers || jsonb_build_object(:item_id, :option),
        version = version + 1,
        updated_at = :at
    WHERE id = :attempt_id
      AND status = 'in_progress'
      AND paused_at IS NULL
      AND deadline > :answers_close_after
      AND (:expected IS NULL OR version = :expected)
      AND jsonb_array_length(responses) = :responses_before
    RETURNING id, version
)
INSERT INTO attempt_events (attempt_id, version, kind, at, data)
SELECT id, version, :kind, :at, :data FROM updated
RETURNING version
"""
).bindparams(
    bindparam("attempt_id", type_=Uuid()),
    bindparam("item_id", type_=Text()),
    bindparam("option", type_=Text()),
    bindparam("correct", type_=Boolean()),
    bindparam("expected", type_=Integer()),
    bindparam("responses_before", type_=Integer()),
    bindparam("at", type_=DateTimeUTC()),
    bindparam("answers_close_after", type_=DateTimeUTC()),
    bindparam("kind", type_=Text()),
    bindparam("data", type_=JSONB()),
)


def response_parameters(
    change: ResponseChange, *, answers_close_after: datetime, responses_before: int
) -> dict[str, Any]:
    response = change.response
    return {
        "attempt_id": change.attempt_id,
        "item_id": response.item_id,
        "option": response.option,
        "correct": response.correct,
        "expected": change.expected_version,
        "responses_before": responses_before,
        "at": change.event.at,
        "answers_close_after": answers_close_after,
        "kind": change.event.kind.value,
        "data": dict(change.event.data),
    }
