"""A request id on every request: taken from `x-request-id` or made, echoed, and logged.

The id lives in a contextvar for the request's task, so any log record written while
serving it (by an adapter too) carries it; see presentation.bootstrap.logs.
"""

from __future__ import annotations

import random
import re
from contextvars import ContextVar

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_HEADER_NAME = HEADER.encode()
# A caller's id is kept only if it is short and plain, so it cannot forge log lines.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current_request_id: ContextVar[str | None] = ContextVar("hourglass_request_id", default=None)


def request_id_of(scope: Scope) -> str:
    """The caller's `x-request-id` when it is acceptable, else a new random id."""
    for name, value in scope.get("headers", ()):
        if name == _HEADER_NAME:
            given = value.decode("latin-1")
            if _ACCEPTED.fullmatch(given):
                return given
            break
    # 32 random hex digits, as uuid4().hex gave. The id only ties log lines together and
    # callers may choose their own, so it needs no system entropy: no UUID object and no
    # getrandom call on every request.
    return random.randbytes(16).hex()


def request_ids(app: ASGIApp) -> ASGIApp:
    """Litestar middleware: sets the id for the request and returns it as a header."""

    async def with_request_id(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = current_request_id.set(request_id)
        header = (_HEADER_NAME, request_id.encode("latin-1"))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Appended, not set through Litestar's header mapping (which searches and
                # may rewrite the list): no response carries this header of its own.
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            current_request_id.reset(token)

    return with_request_id
