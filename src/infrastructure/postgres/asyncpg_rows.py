"""Attempt rows on plain asyncpg: statements in its `$n` form, column values in and out.

The start and the submit run on asyncpg directly (attempt_starts.py, final_writes.py):
the ORM's per-request work (cache keys of an INSERT's VALUES, identity map, greenlet
hops, round trips) was on 83 % of a start's samples (docs/benchmarks.md, "Start and
submit"). The columns still come from attempt_mapping.py and the table from models.py,
so a column added there flows through here unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any, cast

import asyncpg
import msgspec
from sqlalchemy import TextClause
from sqlalchemy.dialects.postgresql import JSON, JSONB
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from domain.attempt import Attempt
from domain.responses import Response
from infrastructure.postgres.attempt_mapping import to_attempt, to_response
from infrastructure.postgres.models import AttemptRow

_DIALECT = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]
_ATTEMPTS = AttemptRow.__table__
_COLUMNS = tuple(column.name for column in _ATTEMPTS.columns)
# asyncpg passes jsonb as text both ways (no codec is set: the answer write sends text).
JSONB_COLUMNS = frozenset(
    column.name for column in _ATTEMPTS.columns if isinstance(column.type, JSON | JSONB)
)


class PositionalStatement:
    """A statement with named parameters (`:name`), compiled once to asyncpg's `$n`."""

    __slots__ = ("names", "sql")

    def __init__(self, statement: TextClause) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql: str = compiled.string
        self.names: list[str] = list(compiled.positiontup or ())

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        return [parameters[name] for name in self.names]


def column_parameters(values: Mapping[str, Any], *, prefix: str) -> dict[str, Any]:
    """An attempt's column values as statement parameters named `prefix` + column; JSON
    columns as text (None as JSON null, as the ORM writes it)."""
    unknown = values.keys() - set(_COLUMNS)
    if unknown:
        raise ValueError(f"not columns of attempts: {sorted(unknown)}")
    return {
        prefix + name: _json(value) if name in JSONB_COLUMNS else value
        for name, value in values.items()
    }


# `attempt.*` and, for an adaptive attempt, its response events' data in version order
# (`response_data`), live or archived (archive-events moves a final attempt's events; the
# view of migration 0014 reads both). `$2` is the response event's kind; select
# `FROM attempts AS attempt`.
ATTEMPT_WITH_RESPONSES = """attempt.*,
    CASE WHEN attempt.response_count > 0 THEN ARRAY(
        SELECT event.data::text FROM every_attempt_event AS event
        WHERE event.attempt_id = attempt.id AND event.kind = $2
        ORDER BY event.version
    ) END AS response_data"""


def attempt_from_record(record: asyncpg.Record, response_data: Sequence[str] | None) -> Attempt:
    """The attempt a `SELECT attempts.*` row holds; `response_data`: its response events'
    data (JSON text) in version order, for an adaptive attempt."""
    columns = {
        name: _decoded(record[name]) if name in JSONB_COLUMNS else record[name] for name in _COLUMNS
    }
    responses: list[Response] = [
        to_response(msgspec.json.decode(data)) for data in response_data or ()
    ]
    # to_attempt reads the row's attributes only: a namespace of the same names will do.
    return to_attempt(cast(AttemptRow, SimpleNamespace(**columns)), responses)


def _json(value: object) -> str:
    return msgspec.json.encode(value).decode()


def _decoded(text: str | None) -> Any:
    return None if text is None else msgspec.json.decode(text)
