"""Flags in PostgreSQL: one conditional UPDATE of the attempt's `flags` array."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, case, func, literal, update

from application.ports.attempt_flags import AttemptFlags
from domain.result import AttemptStatus
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.sessions import SessionSource


class SqlAttemptFlags:
    """The condition on `status` makes a flag lose to a concurrent submit or expiry."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def set_flag(
        self, attempt_id: UUID, question_id: str, *, flagged: bool
    ) -> tuple[str, ...] | None:
        flags = AttemptRow.flags
        as_json = func.to_jsonb(literal(question_id))
        changed: ColumnElement[Any]
        if flagged:
            # Appended once: flagging a flagged question leaves the array as it is.
            changed = case(
                (flags.op("@>")(as_json), flags),
                else_=flags.op("||")(func.jsonb_build_array(literal(question_id))),
            )
        else:
            # jsonb - text removes that string from an array.
            changed = flags.op("-")(literal(question_id))
        found = await self._sessions.current.scalar(
            update(AttemptRow)
            .where(
                AttemptRow.id == attempt_id,
                AttemptRow.status == AttemptStatus.IN_PROGRESS.value,
            )
            .values(flags=changed)
            .returning(AttemptRow.flags)
            .execution_options(synchronize_session=False)
        )
        return None if found is None else tuple(found)


_: type[AttemptFlags] = SqlAttemptFlags
