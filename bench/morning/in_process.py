"""``uv run --group bench python -m bench.morning.in_process``: a candidate's 9:00 requests
(start, open the stream, read the questions) through the service's ASGI app in this
process, against the floor app (bench/morning/floor.py) in the same run.

No server and no client sockets: what is left is the app's own work and its round trips
to PostgreSQL and Valkey, as the CPU time of this process per candidate. The morning
(`python -m bench.morning`) measures the whole; this says which request it goes to and
how much waiting alone costs: with `--concurrency 1` every round trip is waited for
alone (as when candidates arrive one at a time), with more they overlap and share writes.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import secrets
import shlex
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import msgspec
import uvloop
from litestar import Litestar

from bench import seed
from bench.memory import forget_keys
from bench.morning.floor import create_floor_app
from bench.morning.options import add_questions_option, questions_with_start
from bench.runner import scratch_directory
from bench.scratch_database import scratch_database
from bench.sections import todays_results
from bench.servers import backing_servers
from infrastructure.settings import load_settings
from presentation.bootstrap.app import create_app

KINDS = ("start", "stream", "questions")
# ASGI as plain dictionaries: this driver builds its own scopes and events.
Message = dict[str, Any]
Asgi = Callable[
    [Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]
QUESTIONS = 20


class _StartReply(msgspec.Struct):
    id: str
    questions: list[msgspec.Raw] = []


# This process's CPU is the measure: the start's reply is read by msgspec, into no more
# than the bench needs (Python's json on a list of 20 questions costs tens of µs).
_START_REPLY = msgspec.json.Decoder(_StartReply)


@dataclass(slots=True)
class Costs:
    """CPU seconds of this process over `candidates`, in all and (when the requests ran
    one at a time) per kind of request."""

    candidates: int = 0
    total: float = 0.0
    by_kind: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))

    def per_candidate_ms(self, kind: str | None = None) -> float:
        seconds = self.total if kind is None else self.by_kind[kind]
        return seconds / self.candidates * 1e3 if self.candidates else float("nan")


class AsgiCalls:
    """Requests straight into an ASGI app: one coroutine call each, bodies in memory."""

    def __init__(self, app: Litestar) -> None:
        self.app = cast(Asgi, app)

    def _scope(self, method: str, target: str, token: str, has_body: bool) -> dict[str, Any]:
        path, _, query = target.partition("?")
        headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
        if has_body:
            headers.append((b"content-type", b"application/json"))
        return {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": method, "path": path, "raw_path": path.encode(),
            "query_string": query.encode(), "headers": headers, "scheme": "http",
            "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 50000), "root_path": "",
            "state": {},
        }  # fmt: skip

    async def call(
        self, method: str, path: str, token: str, body: bytes = b""
    ) -> tuple[int, bytes]:
        received = False
        status, chunks = 0, []

        async def receive() -> Message:
            nonlocal received
            if received:
                await asyncio.Event().wait()  # never disconnects mid-request
            received = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(self._scope(method, path, token, bool(body)), receive, send)
        return status, b"".join(chunks)

    async def open_stream(self, path: str, token: str) -> OpenStream:
        """Until the first event arrives; the stream stays open until `close`."""
        stream = OpenStream()

        async def receive() -> Message:
            if not stream.requested:
                stream.requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await stream.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                stream.status = message["status"]
            elif message["type"] == "http.response.body" and message.get("body"):
                stream.first_event.set()

        stream.task = asyncio.ensure_future(
            self.app(self._scope("GET", path, token, False), receive, send)
        )
        first = asyncio.ensure_future(stream.first_event.wait())
        await asyncio.wait({stream.task, first}, return_when=asyncio.FIRST_COMPLETED)
        first.cancel()
        if stream.status != 200 or not stream.first_event.is_set():
            raise RuntimeError(f"the stream answered {stream.status}")
        return stream


@dataclass(slots=True)
class OpenStream:
    requested: bool = False
    status: int = 0
    first_event: asyncio.Event = field(default_factory=asyncio.Event)
    gone: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Future[None] | None = None


async def _lifespan(litestar: Litestar, body: Callable[[], Awaitable[Costs]]) -> Costs:
    app = cast(Asgi, litestar)
    events: asyncio.Queue[Message] = asyncio.Queue()
    started, stopped = asyncio.Event(), asyncio.Event()

    async def receive() -> Message:
        return await events.get()

    async def send(message: Message) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()
        if message["type"].startswith("lifespan.shutdown"):
            stopped.set()
        if message["type"].endswith(".failed"):
            raise RuntimeError(message.get("message", "lifespan failed"))

    lifespan = asyncio.ensure_future(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    )
    await events.put({"type": "lifespan.startup"})
    await started.wait()
    try:
        return await body()
    finally:
        await events.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(stopped.wait(), 30)
        await lifespan


async def _exam(calls: AsgiCalls, admin: str) -> str:
    exam = {
        "title": "In-process morning", "mode": "fixed", "duration_seconds": 3600,
        "max_attempts": 1,
        "questions": [
            {"id": f"q{n}", "stem": f"Question {n}?", "correct_key": seed.OPTIONS[n % 4],
             "options": [{"key": k, "text": f"Option {k}"} for k in seed.OPTIONS]}
            for n in range(1, QUESTIONS + 1)
        ],
    }  # fmt: skip
    status, created = await calls.call(
        "POST", f"{seed.API}/exams", admin, json.dumps(exam).encode()
    )
    if status != 201:
        raise RuntimeError(f"creating the exam answered {status}: {created[:200]!r}")
    exam_id: str = json.loads(created)["id"]
    return exam_id


async def _candidates(
    app: Litestar, secret: str, run_id: str, args: argparse.Namespace, concurrency: int
) -> Costs:
    candidates, warm_up = args.candidates, args.warm_up
    with_start = questions_with_start(args)
    calls = AsgiCalls(app)
    exam_id = await _exam(calls, seed.admin_token(secret))
    people = seed.candidates(secret, run_id, warm_up + candidates)
    streams: list[OpenStream] = []
    costs = Costs()
    measuring = False

    def timed(kind: str, began: float) -> None:
        if measuring and concurrency == 1:
            costs.by_kind[kind] += time.process_time() - began

    async def candidate(person: seed.Candidate) -> None:
        began = time.process_time()
        path = f"{seed.API}/exams/{exam_id}/attempts"
        if with_start:
            path += seed.WITH_QUESTIONS
        status, started = await calls.call("POST", path, person.token)
        if status not in (200, 201):
            raise RuntimeError(f"a start answered {status}: {started[:200]!r}")
        reply = _START_REPLY.decode(started)
        attempt = f"{seed.API}/attempts/{reply.id}"
        timed("start", began)
        began = time.process_time()
        streams.append(await calls.open_stream(f"{attempt}/stream", person.token))
        timed("stream", began)
        if with_start:
            if len(reply.questions) != QUESTIONS:
                raise RuntimeError("the start came without its questions")
            return
        began = time.process_time()
        status, _ = await calls.call("GET", f"{attempt}/questions", person.token)
        if status != 200:
            raise RuntimeError(f"the question list answered {status}")
        timed("questions", began)

    async def everyone(batch: list[seed.Candidate]) -> None:
        queue = iter(batch)

        async def one_after_another() -> None:
            for person in queue:
                await candidate(person)

        await asyncio.gather(*(one_after_another() for _ in range(concurrency)))

    await everyone(people[:warm_up])  # code paths, caches and connections warm
    gc.collect()
    measuring = True
    began = time.process_time()
    await everyone(people[warm_up:])
    costs.total = time.process_time() - began
    costs.candidates = candidates
    for stream in streams:
        stream.gone.set()
    await asyncio.gather(*(s.task for s in streams if s.task), return_exceptions=True)
    return costs


@dataclass(slots=True)
class Row:
    concurrency: int
    service: Costs
    floor: Costs


def measure(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    secret = secrets.token_hex(24)
    with (
        backing_servers(args.database_url, args.redis_url) as backing,
        scratch_directory() as scratch,
    ):
        for concurrency in args.concurrency:
            run_id = secrets.token_hex(3)
            prefix = f"{args.redis_key_prefix or 'hginprocess'}{run_id}"
            with scratch_database(backing.database_url, "hourglass_in_process") as url:
                settings = load_settings({
                    "HOURGLASS_DATABASE_URL": url, "HOURGLASS_REDIS_URL": backing.redis_url,
                    "HOURGLASS_JWT_SECRET": secret, "HOURGLASS_REDIS_KEY_PREFIX": prefix,
                    "HOURGLASS_DATABASE_POOL_SIZE": str(args.pool_size),
                    "HOURGLASS_DATA_DIR": str(scratch / run_id),
                })  # fmt: skip
                service = create_app(settings)
                try:
                    served = _on_loop(service, secret, run_id, args, concurrency)
                finally:
                    forget_keys(backing.redis_url, prefix)
            floor = _on_loop(create_floor_app(), secret, run_id, args, concurrency)
            rows.append(Row(concurrency, served, floor))
    return rows


def _on_loop(
    app: Litestar, secret: str, run_id: str, args: argparse.Namespace, concurrency: int
) -> Costs:
    async def load() -> Costs:
        return await _lifespan(
            app,
            lambda: _candidates(app, secret, run_id, args, concurrency),
        )

    return uvloop.run(load())


def report(rows: list[Row], args: argparse.Namespace, command: str) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        f"## {stamp} — a candidate's 9:00 requests in process (issue 19)",
        "",
        f"- command: `{command}`",
        f"- {args.candidates:,} candidates after {args.warm_up} unmeasured; os.cpu_count() = "
        f"{os.cpu_count()}; Python {sys.version.split()[0]}",
        "- CPU of this process per candidate (start, stream open until its first event, "
        + (
            "question list in the start's response"
            if questions_with_start(args)
            else "question list as a request of its own"
        )
        + "), through each app's ASGI callable: no server, no client sockets; "
        "per request only when they ran one at a time (background work, such as a batch of "
        "deadline entries or a pub/sub message, counts for the request it ran beside)",
        "",
        "| candidates at once | service: start / stream / questions | service: a candidate "
        "| floor: start / stream / questions | floor: a candidate | service / floor |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.concurrency} | {_kinds(row.service, row.concurrency)} "
            f"| {row.service.per_candidate_ms():.3f} ms "
            f"| {_kinds(row.floor, row.concurrency)} | {row.floor.per_candidate_ms():.3f} ms "
            f"| {row.service.per_candidate_ms() / row.floor.per_candidate_ms():.1f}× |"
        )
    return "\n".join(lines) + "\n"


def _kinds(costs: Costs, concurrency: int) -> str:
    if concurrency != 1:
        return "—"
    return (
        " / ".join(
            f"{costs.per_candidate_ms(kind):.3f}" if costs.by_kind[kind] else "in the start"
            for kind in KINDS
        )
        + " ms"
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.morning.in_process",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--candidates", type=int, default=2000)
    add("--warm-up", type=int, default=200, help="candidates before the measured ones")
    add("--concurrency", type=lambda text: [int(n) for n in text.split(",")], default=[1, 16],
        help="comma-separated: candidates in flight at once")  # fmt: skip
    add_questions_option(parser)
    add("--pool-size", type=int, default=20)
    add("--database-url", help="postgresql://… instead of embedded")
    add("--redis-url", help="redis://… instead of embedded Valkey")
    add("--redis-key-prefix", help="default: hginprocess<random>")
    add("--output", type=Path, default=todays_results())
    add("--no-output", action="store_true", help="print only")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, command: str = "") -> tuple[str, list[Row]]:
    rows = measure(args)
    section = report(rows, args, command)
    if not args.no_output and args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("a") as out:
            out.write("\n" + section)
    return section, rows


def main() -> None:
    command = "uv run --group bench python -m bench.morning.in_process "
    command += shlex.join(sys.argv[1:])
    section, _ = run(parse(sys.argv[1:]), command.strip())
    print(section)


if __name__ == "__main__":
    main()
