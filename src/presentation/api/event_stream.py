"""`EventStream`: a `text/event-stream` response whose events are framed here.

Litestar's `ServerSentEvent` hands the first step of every stream to a worker thread
(`sync_to_thread`, to drain its optional preamble), and frames each event through a
`StringIO` and a regular expression: at 9:00, a thread hop per candidate (cheap, as the
morning bench found, but nothing the stream needs). Here an event is one `event:` line
and one `data:` line: msgspec's JSON never holds a raw line break, so the data needs no
splitting.

Its `Stream` sends through an anyio task group: the events in a child task, the client's
departure awaited in the request's own. Here the events go out from the request's task
and one plain asyncio task waits for the departure (`_EventStreamResponse`): a task and
a task group fewer for each of the thousands of streams open during an exam.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.response.streaming import ASGIStreamingResponse

if TYPE_CHECKING:
    from litestar.app import Litestar
    from litestar.background_tasks import BackgroundTask, BackgroundTasks
    from litestar.connection import Request
    from litestar.datastructures.cookie import Cookie
    from litestar.types import Receive, Send, TypeEncodersMap

_ENCODER = msgspec.json.Encoder()
_MEDIA_TYPE = "text/event-stream"

T = TypeVar("T")


def event_frame(event: str, data: Mapping[str, Any]) -> bytes:
    """One server-sent event: its name, its data as JSON on one line, a blank line."""
    return b"event: %b\r\ndata: %b\r\n\r\n" % (event.encode(), _ENCODER.encode(data))


class EventStream(Stream):
    """Server-sent events: each of `items` as `frame` makes it an event, as it comes."""

    __slots__ = ("_events",)

    def __init__(self, items: AsyncIterable[T], frame: Callable[[T], bytes]) -> None:
        self._events = _framed(items, frame)
        super().__init__(
            self._events,
            media_type=_MEDIA_TYPE,
            headers={
                # Each event is the state as of its `server_time`: never from a cache.
                "Cache-Control": "no-store",
                "Connection": "keep-alive",
                # Tells nginx not to buffer the stream (each event must reach the page).
                "X-Accel-Buffering": "no",
            },
        )

    def to_asgi_response(
        self,
        app: Litestar | None,
        request: Request[Any, Any, Any],
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        # As `Stream.to_asgi_response` (whose response class is fixed), for ours.
        return _EventStreamResponse(
            background=self.background or background,
            content_length=0,
            cookies=self.cookies if cookies is None else itertools.chain(self.cookies, cookies),
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers=self.headers if headers is None else {**headers, **self.headers},
            is_head_response=is_head_response,
            iterator=self._events,
            media_type=_MEDIA_TYPE,
            status_code=self.status_code or status_code,
        )


class _EventStreamResponse(ASGIStreamingResponse):
    __slots__ = ()

    async def send_body(self, send: Send, receive: Receive) -> None:
        """The events until the last, or until the stream is cancelled: by the task below
        when the client leaves, or by the server when it stops and will not wait longer
        (`hourglass serve`'s grace period). The request's task is cancelled wherever it
        waits (for the next event, a read, a send), as a task group's scope would cancel
        its child. Either way the stream ends here as a complete response: a client still
        there sees its end and reconnects, and the server logs no failed request for what
        it asked for itself."""
        streaming = asyncio.current_task()
        assert streaming is not None  # an ASGI app runs in a task
        left = False

        async def until_the_client_leaves() -> None:
            nonlocal left
            while (await receive())["type"] != "http.disconnect":
                pass
            left = True
            streaming.cancel()

        watching = asyncio.create_task(until_the_client_leaves())
        try:
            await self._stream(send)
        except asyncio.CancelledError:
            # A request's task is cancelled only to end it (here, by the client leaving or
            # the server stopping): the stream is over. A cancel scope that cancels again
            # (a test client's) is answered by the send below raising.
            streaming.uncancel()
            if not left:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            watching.cancel()


async def _framed(items: AsyncIterable[T], frame: Callable[[T], bytes]) -> AsyncIterator[bytes]:
    async for item in items:
        yield frame(item)
