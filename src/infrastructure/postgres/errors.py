"""Driver failures translated into the application's errors, so no SQLAlchemy type leaks out."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import asyncpg  # asyncpg ships no type hints
from sqlalchemy import exc

from application.errors import ActiveAttemptExists, StorageUnavailable
from infrastructure.faults import PROCESS_FAULTS

P = ParamSpec("P")
T = TypeVar("T")

# The unique constraints that a second start for the same candidate and exam runs into.
_ACTIVE_ATTEMPT_CONSTRAINTS = frozenset(
    {"uq_attempts_one_in_progress", "uq_attempts_candidate_number"}
)
# SQLSTATE classes that mean "the server cannot serve us now", not "the statement is wrong":
# connection exception, insufficient resources (e.g. too many connections), operator
# intervention (shutdown, cannot connect now), and a write sent to a server in recovery
# (25006, read-only transaction: a standby, or a primary being demoted in a failover).
_UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "53", "57P", "25006")


@contextmanager
def storage_errors() -> Iterator[None]:
    """Raise StorageUnavailable or ActiveAttemptExists in place of the driver's failures."""
    try:
        yield
    except exc.IntegrityError as error:
        if is_active_attempt_conflict(error):
            raise ActiveAttemptExists() from error
        raise
    except (exc.DBAPIError, asyncpg.PostgresError) as error:
        if is_active_attempt_conflict(error):  # asyncpg's own (starts)
            raise ActiveAttemptExists() from error
        PROCESS_FAULTS.postgres_failed(_driver_error(error))
        if _is_unavailable(error):
            raise StorageUnavailable(str(error)) from error
        raise
    except (
        exc.TimeoutError,  # no pooled connection came free in time
        exc.DisconnectionError,
        asyncpg.InterfaceError,  # e.g. ConnectionDoesNotExistError: lost mid-statement
        # An idle connection that a shutting-down server sent its FATAL to, before the
        # socket's close reached asyncpg: the next statement is refused before it is sent
        # ("cannot switch to state 12"); seen as 500s in tests/faults while PostgreSQL stopped.
        asyncpg.InternalClientError,
        OSError,  # refused, unreachable, DNS; TimeoutError is an OSError too
    ) as error:
        PROCESS_FAULTS.postgres_failed(_driver_error(error))
        raise StorageUnavailable(str(error)) from error


def translate_errors(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Coroutine[Any, Any, T]]:
    """Decorate an adapter's async method with `storage_errors`."""

    @functools.wraps(method)
    async def translated(*args: P.args, **kwargs: P.kwargs) -> T:
        with storage_errors():
            return await method(*args, **kwargs)

    return translated


def _is_unavailable(error: exc.DBAPIError | asyncpg.PostgresError) -> bool:
    if isinstance(error, exc.DBAPIError) and (
        error.connection_invalidated or isinstance(error, exc.OperationalError | exc.InterfaceError)
    ):
        return True
    driver = _driver_error(error)
    # InternalClientError covers TargetServerAttributeNotMatched: no host of a multi-host
    # URL accepts writes (the primary is gone and no standby is promoted yet).
    if isinstance(driver, asyncpg.InterfaceError | asyncpg.InternalClientError | OSError):
        return True
    sqlstate = getattr(driver, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATE_PREFIXES)


def is_active_attempt_conflict(error: BaseException) -> bool:
    """Whether the driver refused a second attempt in progress or a number taken twice."""
    return _constraint_of(error) in _ACTIVE_ATTEMPT_CONSTRAINTS


def _constraint_of(error: BaseException) -> str | None:
    name = getattr(_driver_error(error), "constraint_name", None)
    return name if isinstance(name, str) else None


def _driver_error(error: BaseException) -> BaseException:
    """asyncpg's own exception under SQLAlchemy's wrappers (DBAPIError → adapter → asyncpg)."""
    current: BaseException = error
    for _ in range(4):
        inner = getattr(current, "orig", None)
        if not isinstance(inner, BaseException):
            break
        current = inner
    return current
