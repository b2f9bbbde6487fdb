"""The request's unit of work: the request-scoped session's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from application.ports import Transaction
from infrastructure.postgres.errors import translate_errors


class SqlTransaction:
    """Commits or rolls back the session every adapter of this request writes through."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def commit(self) -> None:
        await self._session.commit()

    @translate_errors
    async def rollback(self) -> None:
        await self._session.rollback()


_: type[Transaction] = SqlTransaction
