"""A real HTTP receiver on 127.0.0.1 that verifies every delivery's signature with the
Standard Webhooks reference library, as a platform would."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass(frozen=True, slots=True)
class Received:
    message_id: str
    body: dict[str, Any]
    verified: bool
    status: int  # what the receiver answered

    @property
    def type(self) -> str:
        return str(self.body["type"])

    @property
    def attempt_id(self) -> str | None:
        attempt = self.body["data"].get("attempt")
        return None if attempt is None else str(attempt["id"])


# (the delivery's number at this receiver, counting from 1) -> (status, delay in seconds)
Policy = Callable[[int, dict[str, Any]], tuple[int, float]]


def always_ok(_: int, __: dict[str, Any]) -> tuple[int, float]:
    return 200, 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Receiver:
    secret: str = ""
    policy: Policy = always_ok
    port: int = field(default_factory=free_port)
    path: str = "/hooks"
    received: list[Received] = field(default_factory=list)
    extra_routes: dict[str, Callable[[web.Request], Any]] = field(default_factory=dict)
    location: str | None = None  # sent as Location with every answer (redirect tests)
    _runner: web.AppRunner | None = None
    _count: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(self.path, self._handle)
        for path, handler in self.extra_routes.items():
            app.router.add_route("*", path, handler)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw)
        try:
            Webhook(self.secret).verify(raw, dict(request.headers))
            verified = True
        except WebhookVerificationError:
            verified = False
        self._count += 1
        status, delay = self.policy(self._count, body)
        if delay:
            await asyncio.sleep(delay)
        self.received.append(Received(request.headers["webhook-id"], body, verified, status))
        headers = {} if self.location is None else {"Location": self.location}
        return web.Response(status=status, headers=headers)

    def delivered(self) -> list[Received]:
        """What it accepted (2xx), in the order it accepted them."""
        return [entry for entry in self.received if 200 <= entry.status < 300]

    async def wait_for(self, count: int, *, within: float = 20.0) -> list[Received]:
        """Until `count` distinct messages were accepted."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while len({entry.message_id for entry in self.delivered()}) < count:
            if loop.time() > deadline:
                got = [(entry.type, entry.status) for entry in self.received]
                raise AssertionError(f"{count} deliveries expected within {within} s: {got}")
            await asyncio.sleep(0.02)
        return self.delivered()


def first_receipts(received: list[Received]) -> list[Received]:
    """Each message once, where it was first accepted (at-least-once may repeat some)."""
    seen: set[str] = set()
    unique = []
    for entry in received:
        if entry.message_id not in seen:
            seen.add(entry.message_id)
            unique.append(entry)
    return unique
