"""Server-sent events as the stream routes frame them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from litestar import Litestar, get
from litestar.testing import TestClient

from presentation.api.event_stream import EventStream, event_frame


def parsed(frame: bytes) -> tuple[str, object]:
    """As an EventSource reads a frame: every `data:` line joined by a line break."""
    text = frame.decode()
    assert text.endswith("\r\n\r\n")
    event, data = "message", []
    for line in text[:-4].split("\r\n"):
        field, _, value = line.partition(": ")
        if field == "event":
            event = value
        else:
            assert field == "data"
            data.append(value)
    return event, json.loads("\n".join(data))


def test_an_event_is_its_name_and_its_data_on_one_line() -> None:
    at = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    frame = event_frame("remaining", {"remaining_seconds": 12.5, "server_time": at})
    assert frame == (
        b'event: remaining\r\ndata: {"remaining_seconds":12.5,"server_time":'
        b'"2026-12-06T09:00:00Z"}\r\n\r\n'
    )


@given(st.text(), st.text())
def test_line_breaks_in_the_data_stay_inside_its_one_line(key: str, value: str) -> None:
    event, data = parsed(event_frame("status", {key: value, "reason": "a\nb\r\nc\rd"}))
    assert event == "status"
    assert data == {key: value, "reason": "a\nb\r\nc\rd"}


def test_the_response_streams_the_frames_with_headers_no_cache_may_keep() -> None:
    async def ticks() -> AsyncIterator[tuple[str, int]]:
        yield "remaining", 1
        yield "status", 2

    @get("/stream")
    async def stream() -> EventStream:
        return EventStream(ticks(), lambda tick: event_frame(tick[0], {"n": tick[1]}))

    with TestClient(Litestar([stream])) as client:
        response = client.get("/stream")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-accel-buffering"] == "no"
    received = [f"{part}\r\n\r\n".encode() for part in response.text.split("\r\n\r\n")[:-1]]
    assert [parsed(frame) for frame in received] == [("remaining", {"n": 1}), ("status", {"n": 2})]
