"""No request holds the event loop for more than 50 ms (issue 14), measured with a
loop-lag probe while the largest exam the default limits allow is created and served."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import msgspec

from infrastructure.settings import Settings
from presentation.bootstrap.app import create_app
from tests.api.conftest import ADMIN, ClockProvider, TravellingClock, api_settings, auth
from tests.api.loop_lag import LoopLagProbe, probing
from tests.backend import Backend

LOOP_BUDGET_SECONDS = 0.050
DEFAULTS = Settings()


def _largest_exam(options_per_question: int, option_text: int) -> dict[str, Any]:
    """As many questions as allowed, each as large as keeps the body within its limit."""
    count = DEFAULTS.max_questions_per_exam
    keys = [f"k{n}" for n in range(options_per_question)]
    per_question = DEFAULTS.max_request_body_bytes // count
    room = per_question - 300 - options_per_question * (option_text + 30)
    stem = "s" * min(DEFAULTS.max_stem_length, room)
    return {
        "title": "largest",
        "duration_seconds": 3600,
        "questions": [
            {
                "id": f"q{n}",
                "stem": stem,
                "options": [{"key": key, "text": "t" * option_text} for key in keys],
                "correct_key": keys[0],
                "content_area": "area",
            }
            for n in range(count)
        ],
    }


@asynccontextmanager
async def same_loop_client(
    backend: Backend, clock: TravellingClock
) -> AsyncIterator[httpx.AsyncClient]:
    """The app served on the test's own event loop (Litestar's test client runs it on a
    loop of its own, in a thread), so the probe measures the loop the requests hold."""
    app = create_app(api_settings(backend), ClockProvider(clock))
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def _idle(seconds: float) -> LoopLagProbe:
    async with probing() as probe:
        await asyncio.sleep(seconds)
    return probe


async def _at_the_bound(seconds: float) -> LoopLagProbe:
    """The probe's figures while the loop is held for the bound's CPU time at a time,
    then given one turn: what a request at the limit looks like on this machine now."""
    deadline = time.perf_counter() + seconds
    async with probing() as probe:
        while time.perf_counter() < deadline:
            cpu_started = time.thread_time()
            while time.thread_time() - cpu_started < LOOP_BUDGET_SECONDS:
                pass
            await asyncio.sleep(0)
    return probe


async def _served(client: httpx.AsyncClient, body: bytes) -> tuple[LoopLagProbe, float]:
    """The probe's figures while `body` is created as an exam and read by both roles."""
    started = asyncio.get_running_loop().time()
    async with probing() as probe:
        created = await client.post(
            "/api/v1/exams", content=body, headers=ADMIN | {"content-type": "application/json"}
        )
        assert created.status_code == 201, created.text[:500]
        # The exam's id, without parsing 8 MiB of JSON on the loop under test.
        exam_id = created.content[:100].split(b'"id":"')[1].split(b'"')[0].decode()
        reads = [
            await client.get(f"/api/v1/exams/{exam_id}", headers=headers)
            for headers in (ADMIN, auth("lag-candidate"))
        ]
    took = asyncio.get_running_loop().time() - started
    for read in reads:
        assert read.status_code == 200
        assert len(read.json()["questions"]) == DEFAULTS.max_questions_per_exam
    return probe, took


async def test_the_largest_exam_never_holds_the_loop(
    backend: Backend, clock: TravellingClock
) -> None:
    # Long stems (8 MiB of text), and as many options as allowed (100,000 small objects).
    for options, text in ((4, 40), (DEFAULTS.max_options_per_question, 1)):
        body = msgspec.json.encode(_largest_exam(options, text))
        assert len(body) <= DEFAULTS.max_request_body_bytes
        async with same_loop_client(backend, clock) as client:  # a cold exam cache
            busy, took = await _served(client, body)
        idle = await _idle(took)
        bound = await _at_the_bound(took)
        print(
            f"\n{options} options a question, {len(body)} bytes in {took:.2f} s; the loop held"
            f" at once for {busy.max_held * 1000:.1f} ms of CPU, {busy.max_lag * 1000:.1f} ms"
            f" of wall time (idle: {idle.max_lag * 1000:.1f} ms; held 50 ms at a time:"
            f" {bound.max_lag * 1000:.1f} ms)"
        )
        # The CPU the loop's thread spent between two turns of the probe is what one
        # stretch of the requests cost, whatever else the machine runs: the 50 ms bound.
        assert busy.max_held < LOOP_BUDGET_SECONDS
        # In wall time a machine shared with busy processes stretches each stretch by
        # the share of the CPU it gives this one, which an idle loop's overshoot does not
        # show (a sleeping thread is woken at once). So the wall-time bound is what a loop
        # held for exactly 50 ms at a time overshoots on this machine in the same test,
        # plus the idle loop's overshoot as the margin for its noise.
        assert busy.max_lag < bound.max_lag + idle.max_lag
