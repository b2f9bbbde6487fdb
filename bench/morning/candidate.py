"""One candidate's exam morning, as a browser running the candidate page would live it."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass

from bench.morning.http import HttpError
from bench.morning.record import Recorder
from bench.morning.stream import LiveStream
from bench.morning.visitor import Visitor
from bench.seed import API, OPTIONS, WITH_QUESTIONS

SUBMIT_LEAD = 5.0  # seconds on the clock when a candidate whose plan slipped submits


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """Seconds on the generator's loop clock, shared by every candidate of one morning."""

    host: str
    port: int
    exam_id: str
    start_spread: float  # candidates start uniformly within this
    save_every: float  # mean seconds between one candidate's saves
    save_jitter: float  # ± this, uniformly
    submit_spread: float  # submitters submit uniformly within this after `saves_end`
    timeout: float  # one request (or a stream's headers)
    duration: float  # the exam's duration: the deadline of those who let it pass
    final_wait: float  # for the final status after submitting, or after the deadline
    questions_with_start: bool  # the page's start: `?include=questions`


@dataclass(slots=True)
class Phases:
    """When the saves begin and end; set by the morning once every stream is open and the
    idle measurement is over."""

    saves_begin: asyncio.Future[float]
    saves_end: float = 0.0


@dataclass(slots=True)
class Fate:
    """What this candidate does besides the common path (drawn by the morning)."""

    reconnects: bool
    lets_expire: bool


class CandidateRun:
    def __init__(self, plan: Plan, token: str, fate: Fate, rng: random.Random) -> None:
        self.plan, self.token, self.fate, self.rng = plan, token, fate, rng
        self.visitor = Visitor(plan.host, plan.port, token, plan.timeout)
        self.stream: LiveStream | None = None
        self.ready = asyncio.Event()  # started and streaming (or given up)

    async def timed(self, operation: str, recorder: Recorder, method: str, path: str,
                    body: bytes = b"", ok: tuple[int, ...] = (200,)) -> bytes | None:  # fmt: skip
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            status, answer = await self.visitor.request(method, path, body)
        except HttpError as error:
            recorder.failed(operation, error.kind)
            return None
        if status not in ok:
            recorder.failed(operation, f"HTTP {status}")
            return None
        recorder.took(operation, loop.time() - began)
        return answer

    async def live(self, recorder: Recorder, phases: Phases, t0: float) -> None:
        """Start, stream, read, save until the end, submit (or let the deadline pass)."""
        try:
            await self._live(recorder, phases, t0)
        finally:
            self.ready.set()
            self.close()

    async def _live(self, recorder: Recorder, phases: Phases, t0: float) -> None:
        loop, plan = asyncio.get_running_loop(), self.plan
        try:
            await asyncio.sleep(max(0.0, t0 + self.rng.uniform(0, plan.start_spread) - loop.time()))
            path = f"{API}/exams/{plan.exam_id}/attempts"
            if plan.questions_with_start:
                path += WITH_QUESTIONS
            started = await self.timed("start", recorder, "POST", path, ok=(200, 201))
            if started is None:
                return
            started_at = loop.time()
            body = json.loads(started)
            attempt = f"{API}/attempts/{body['id']}"
            self.stream = LiveStream(plan.host, plan.port, f"{attempt}/stream", self.token)
            if not await self._open_stream(recorder):
                return
            if plan.questions_with_start:
                listed = body["questions"]
            else:
                read = await self.timed("questions", recorder, "GET", f"{attempt}/questions")
                listed = json.loads(read) if read else [{"id": "q1"}]
            questions = [q["id"] for q in listed]
        finally:
            self.ready.set()
        # A candidate's page counts down to its own deadline: it submits with a few seconds
        # left even if the morning's plan has slipped (a slow start moves the plan).
        lead = min(SUBMIT_LEAD, plan.duration / 4)
        own_end = started_at + plan.duration - plan.submit_spread - lead
        await self._save_until(recorder, phases, own_end, attempt, questions)
        submitted = None
        if not self.fate.lets_expire:
            await asyncio.sleep(self.rng.uniform(0, plan.submit_spread))
            submitted = await self.timed("submit", recorder, "POST", f"{attempt}/submit")
        wait = plan.final_wait
        if submitted is None:  # let the deadline pass, or the submit failed: it will expire
            wait += max(0.0, started_at + plan.duration - loop.time())
        try:
            await asyncio.wait_for(self.stream.final.wait(), wait)
        except TimeoutError:
            recorder.failed("stream", "no final status")

    async def _save_until(
        self, recorder: Recorder, phases: Phases, own_end: float, attempt: str, questions: list[str]
    ) -> None:
        loop, plan = asyncio.get_running_loop(), self.plan
        begin = await phases.saves_begin
        end = min(phases.saves_end, own_end)
        due = begin + self.rng.uniform(0, plan.save_every)
        reconnect_at = self.rng.uniform(begin, end) if self.fate.reconnects else None
        while due < end:
            if reconnect_at is not None and reconnect_at <= due:
                await asyncio.sleep(max(0.0, reconnect_at - loop.time()))
                reconnect_at = None
                await self._open_stream(recorder)
                continue
            await asyncio.sleep(max(0.0, due - loop.time()))
            body = json.dumps({"option": self.rng.choice(OPTIONS)}).encode()
            path = f"{attempt}/answers/{self.rng.choice(questions)}"
            await self.timed("save", recorder, "PUT", path, body)
            due += plan.save_every + self.rng.uniform(-plan.save_jitter, plan.save_jitter)
        await asyncio.sleep(max(0.0, end - loop.time()))

    async def _open_stream(self, recorder: Recorder) -> bool:
        assert self.stream is not None
        try:
            await self.stream.open(self.plan.timeout)
        except HttpError as error:
            recorder.failed("stream", error.kind)
            return False
        return True

    def close(self) -> None:
        self.visitor.close()
        if self.stream is not None:
            self.stream.close()
