"""The conditional answer write: one hand-written statement for the hot path.

Autosave is the most frequent request. One data-modifying CTE changes the answer sheet,
bumps the version and appends the audit event in a single round trip, and PostgreSQL
evaluates every condition (status, pause, deadline, version) against the row as it is
when the UPDATE locks it. That makes the database the final arbiter: of concurrent
writers carrying the same expected version, exactly one matches, the others see the
bumped version after waiting for the lock and match nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BindParameter, Integer, Text, TextClause, Uuid, bindparam, text
from sqlalchemy.dialects.postgresql import JSONB

from domain.attempt import AnswerChange

_SAVE = "answers || jsonb_build_object(:question_id, :option)"
_CLEAR = "answers - :question_id"

_TEMPLATE = """
WITH updated AS (
    UPDATE attempts
    SET answers = {answers}, version = version + 1, updated_at = :at
    WHERE id = :attempt_id
      AND status = 'in_progress'
      AND paused_at IS NULL
      AND deadline > :answers_close_after
      AND (:expected IS NULL OR version = :expected)
    RETURNING id, version
)
INSERT INTO attempt_events (attempt_id, version, kind, at, data)
SELECT id, version, :kind, :at, :data FROM updated
RETURNING version
"""


def _statement(answers: str, *extra: BindParameter[Any]) -> TextClause:
    # Typed parameters render as $n::TYPE casts: PostgreSQL cannot infer a type for
    # `:expected IS NULL` or jsonb_build_object's arguments, and asyncpg must know each one.
    return text(_TEMPLATE.format(answers=answers)).bindparams(
        bindparam("attempt_id", type_=Uuid()),
        bindparam("question_id", type_=Text()),
        bindparam("expected", type_=Integer()),
        bindparam("at", type_=DateTimeUTC()),
        bindparam("answers_close_after", type_=DateTimeUTC()),
        bindparam("kind", type_=Text()),
        bindparam("data", type_=JSONB()),
        *extra,
    )


SAVE_ANSWER = _statement(_SAVE, bindparam("option", type_=Text()))
CLEAR_ANSWER = _statement(_CLEAR)


def answer_statement(change: AnswerChange) -> TextClause:
    return CLEAR_ANSWER if change.option is None else SAVE_ANSWER


def answer_parameters(change: AnswerChange, answers_close_after: datetime) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        "attempt_id": change.attempt_id,
        "question_id": change.question_id,
        "expected": change.expected_version,
        "at": change.event.at,
        "answers_close_after": answers_close_after,
        "kind": change.event.kind.value,
        "data": dict(change.event.data),
    }
    if change.option is not None:
        parameters["option"] = change.option
    return parameters
