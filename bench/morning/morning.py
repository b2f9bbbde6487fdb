"""One exam morning of N candidates against a running service, with the server watched."""

from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import dataclass, field

from bench import seed
from bench.collector import collector_pauses
from bench.morning.candidate import CandidateRun, Fate, Phases, Plan
from bench.morning.record import Recorder
from bench.morning.visitor import Visitor
from bench.servers import ServiceProcess


@dataclass(frozen=True, slots=True, kw_only=True)
class MorningSettings:
    start_spread: float = 10.0
    idle_seconds: float = 10.0  # every stream open, nobody saving: what idle streams cost
    save_seconds: float = 45.0  # the saving part of the morning
    save_every: float = 15.0
    save_jitter: float = 5.0
    submit_spread: float = 3.0
    reconnect_share: float = 0.1
    expire_share: float = 0.05
    questions: int = 20
    # As the candidate page asks since 2026-12-06: the start carries the question list
    # (`?include=questions`). False: the list is a request of its own, as before.
    questions_with_start: bool = True
    timeout: float = 30.0
    ready_wait: float = 60.0  # at most this for every candidate to start and stream
    deadline_margin: float = 15.0  # exam duration beyond the plan, for slow starts
    final_wait: float = 15.0


@dataclass(slots=True, kw_only=True)
class MorningResult:
    candidates: int
    recorder: Recorder
    finals: int = 0  # streams that received their final `status`
    reconnects: int = 0
    # Requests sent again on a new connection after the server closed a kept one under
    # them (bench/morning/visitor.py): not errors, as in a browser, but counted.
    resent: int = 0
    expirers: int = 0
    open_at_idle: int = 0  # streams open during the idle phase
    rss_before: int = 0
    rss_idle: int = 0
    idle_seconds: float = 0.0
    idle_server_cpu: float = 0.0  # CPU seconds of the server during the idle phase
    idle_client_cpu: float = 0.0
    server_cpu: float = 0.0  # over the whole morning
    client_cpu: float = 0.0
    elapsed: float = 0.0
    ready_after: float = 0.0  # from the first start until every stream was open
    start_server_cpu: float = 0.0  # server CPU seconds over those `ready_after` seconds
    notes: list[str] = field(default_factory=list)
    # The same morning, same tokens, against the floor app (bench/morning/floor.py).
    floor: MorningResult | None = None

    @property
    def ramp_per_candidate(self) -> float:
        """Server CPU seconds per candidate from the first start until every stream was open."""
        return self.start_server_cpu / max(1, self.candidates)

    @property
    def rss_per_stream(self) -> float:
        return (self.rss_idle - self.rss_before) / max(1, self.open_at_idle)

    @property
    def idle_cores(self) -> float:
        return self.idle_server_cpu / self.idle_seconds if self.idle_seconds else float("nan")

    @property
    def idle_ms_per_thousand(self) -> float:
        """Server CPU milliseconds a second that 1,000 open idle streams cost."""
        return 1e6 * self.idle_cores / max(1, self.open_at_idle)

    def sustained(self) -> bool:
        r = self.recorder
        complete = r.error_count == 0 and self.finals == self.candidates
        return complete and r.percentile("save", 99) < 0.1 and r.percentile("start", 99) < 0.5


def create_exam(
    service: ServiceProcess, admin: str, settings: MorningSettings
) -> tuple[str, float]:
    """A fixed-form exam lasting the planned morning plus a margin: (id, duration)."""
    duration = math.ceil(settings.start_spread + settings.idle_seconds + settings.save_seconds
                         + settings.submit_spread + settings.deadline_margin)  # fmt: skip
    body = {
        "title": "Exam morning",
        "mode": "fixed",
        "duration_seconds": duration,
        "max_attempts": 1,
        "questions": [
            {"id": f"q{n}", "stem": f"Question {n}?", "correct_key": seed.OPTIONS[n % 4],
             "options": [{"key": k, "text": f"Option {k}"} for k in seed.OPTIONS]}
            for n in range(1, settings.questions + 1)
        ],
    }  # fmt: skip
    status, exam = seed.call(service.url, "POST", f"{seed.API}/exams", admin, body)
    if status != 201:
        raise RuntimeError(f"creating the exam answered {status}: {exam}")
    return str(exam["id"]), float(duration)


async def warm_up(service: ServiceProcess, admin: str, exam_id: str, visitors: int = 32) -> None:
    """A few reads before 9:00, unmeasured: a service that has been up all night has its
    database pool open and its code paths warm, so the morning should not pay for that."""

    async def reads(visitor: Visitor) -> None:
        try:
            for _ in range(5):
                await visitor.request("GET", f"{seed.API}/exams/{exam_id}")
        finally:
            visitor.close()

    await asyncio.gather(
        *(reads(Visitor("127.0.0.1", service.port, admin, 30)) for _ in range(visitors))
    )


async def run_morning(
    service: ServiceProcess, tokens: list[str], exam_id: str, duration: float,
    settings: MorningSettings, seed_value: int = 19,
) -> MorningResult:  # fmt: skip
    loop, rng = asyncio.get_running_loop(), random.Random(seed_value)
    plan = Plan(host="127.0.0.1", port=service.port, exam_id=exam_id,
                start_spread=settings.start_spread, save_every=settings.save_every,
                save_jitter=settings.save_jitter, submit_spread=settings.submit_spread,
                timeout=settings.timeout, duration=duration,
                final_wait=settings.final_wait,
                questions_with_start=settings.questions_with_start)  # fmt: skip
    result = MorningResult(candidates=len(tokens), recorder=Recorder())
    runs = []
    for index, token in enumerate(tokens):
        fate = Fate(reconnects=rng.random() < settings.reconnect_share,
                    lets_expire=rng.random() < settings.expire_share)  # fmt: skip
        runs.append(CandidateRun(plan, token, fate, random.Random(seed_value * 100_003 + index)))
    result.expirers = sum(r.fate.lets_expire for r in runs)
    phases = Phases(saves_begin=loop.create_future())
    result.rss_before = service.rss_bytes()
    server_began, client_began = service.cpu_seconds(), time.process_time()
    t0 = began = loop.time()
    tasks = [asyncio.create_task(r.live(result.recorder, phases, t0)) for r in runs]
    try:
        everyone = asyncio.gather(*(r.ready.wait() for r in runs))
        await asyncio.wait_for(everyone, settings.ready_wait + settings.start_spread)
    except TimeoutError:
        result.notes.append(f"not every candidate was streaming after {settings.ready_wait:.0f} s")
    result.ready_after = loop.time() - t0
    result.start_server_cpu = service.cpu_seconds() - server_began
    # The idle phase: every stream open, nobody saving.
    result.open_at_idle = sum(1 for r in runs if r.stream is not None and r.stream.open_now)
    idle_server, idle_client, idle_began = service.cpu_seconds(), time.process_time(), loop.time()
    await asyncio.sleep(settings.idle_seconds)
    result.rss_idle = service.rss_bytes()
    result.idle_seconds = loop.time() - idle_began
    result.idle_server_cpu = service.cpu_seconds() - idle_server
    result.idle_client_cpu = time.process_time() - idle_client
    phases.saves_end = loop.time() + settings.save_seconds
    phases.saves_begin.set_result(loop.time())
    await asyncio.gather(*tasks)
    result.reconnects = sum(1 for r in runs if r.stream is not None and r.stream.opens > 1)
    result.resent = sum(r.visitor.resent for r in runs)
    result.finals = sum(1 for r in runs if r.stream is not None and r.stream.final.is_set())
    result.server_cpu = service.cpu_seconds() - server_began
    result.client_cpu = time.process_time() - client_began
    result.elapsed = loop.time() - began
    pauses = await asyncio.to_thread(collector_pauses, service.url)
    if pauses:
        result.notes.append("server garbage collections " + ", ".join(
            f"gen {g}: {p.collections} ({p.over_10_ms} over 10 ms, {p.over_100_ms} over 100 ms; "
            f"{p.seconds:.2f} s in all)" for g, p in sorted(pauses.items())
        ))  # fmt: skip
    return result
