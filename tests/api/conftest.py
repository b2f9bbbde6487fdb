"""The whole service over HTTP, on this run's real PostgreSQL and Redis."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dishka import Provider, Scope, provide
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from application.identity import Role
from application.ports import Clock
from infrastructure.settings import Settings
from presentation.api.auth import issue_token
from presentation.bootstrap.app import create_app
from tests.backend import Backend

JWT_SECRET = "api-test-secret-that-is-long-enough-for-hs256"


class TravellingClock:
    """Real time plus an offset the test moves forward, so deadlines pass without sleeping."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


class ClockProvider(Provider):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


def api_settings(backend: Backend, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": backend.database_url,
        "redis_url": backend.redis_url,
        "redis_key_prefix": backend.key_prefix,
        "jwt_secret": JWT_SECRET,
        "network_grace_seconds": 2.0,
        "database_pool_size": 30,
        # Test apps live side by side for a whole session: each opening its twenty answer
        # connections at start would exhaust max_connections (test_connections_ahead.py).
        "answer_pool_open_at_start": False,
        # Deterministic tests: expiry happens lazily here; sweeper tests start their own.
        "sweeper_enabled": False,
        "stream_tick_seconds": 0.2,
        "stream_heartbeat_seconds": 0.2,
        # Webhook tests run dispatchers of their own (tests/webhooks).
        "webhook_dispatcher_enabled": False,
    }
    values.update(overrides)
    # A test that points at a Redis of its own (a closed port) means a single server.
    values.setdefault("redis_cluster", backend.redis_cluster and "redis_url" not in overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def clock() -> TravellingClock:
    return TravellingClock()


@pytest.fixture(autouse=True)
def _clock_back_to_now(clock: TravellingClock) -> None:
    clock.offset = timedelta(0)


@pytest.fixture(scope="session")
def app(backend: Backend, clock: TravellingClock) -> Litestar:
    return create_app(api_settings(backend), ClockProvider(clock))


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def token(subject: str, role: str = "candidate", lifetime: timedelta = timedelta(hours=1)) -> str:
    return issue_token(JWT_SECRET, subject=subject, role=Role(role), lifetime=lifetime)


def auth(subject: str, role: str = "candidate") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(subject, role)}"}


ADMIN = auth("admin-1", "admin")


def exam_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Algebra I",
        "mode": "fixed",
        "duration_seconds": 600,
        "grace_seconds": 5,
        "max_attempts": 2,
        "questions": [
            {
                "id": "q1",
                "stem": "2 + 2 = ?",
                "options": [{"key": "A", "text": "3"}, {"key": "B", "text": "4"}],
                "correct_key": "B",
                "points": 2,
            },
            {
                "id": "q2",
                "stem": "3 × 3 = ?",
                "options": [{"key": "A", "text": "9"}, {"key": "B", "text": "6"}],
                "correct_key": "A",
            },
            {
                "id": "q3",
                "stem": "10 / 2 = ?",
                "options": [{"key": "A", "text": "2"}, {"key": "B", "text": "5"}],
                "correct_key": "B",
            },
        ],
    }
    body.update(overrides)
    return body


Call = Callable[..., Any]


async def create_exam(client: AsyncTestClient[Litestar], **overrides: Any) -> dict[str, Any]:
    response: Response = await client.post(
        "/api/v1/exams", json=exam_body(**overrides), headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def start(client: AsyncTestClient[Litestar], exam_id: str, candidate: str) -> Response:
    return await client.post(f"/api/v1/exams/{exam_id}/attempts", headers=auth(candidate))


@pytest.fixture(scope="session")
def live_server(backend: Backend, clock: TravellingClock) -> Iterator[str]:
    """The service on a real socket (its own app and event loop, in a thread), for what the
    in-process client cannot do, such as reading a stream while other requests run."""
    import socket
    import threading

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # No write-rate limit: the fuzzer writes as one candidate far faster than the limit,
    # and its requests must reach the handlers, not stop at 429.
    settings = api_settings(backend, rate_limit_writes_per_second=0)
    app = create_app(settings, ClockProvider(clock))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
