"""The candidate page in Debian's Chromium against the real service on a localhost port.

The app runs in uvicorn on a background thread (its own event loop) on this run's
PostgreSQL and Redis. Its clock runs 90 minutes ahead of the browser's on purpose: the
page must count down from the server's figures, so the skew must not show.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from presentation.bootstrap.app import create_app
from tests.api.conftest import ClockProvider, TravellingClock, api_settings
from tests.backend import Backend

CHROMIUM = shutil.which("chromium")
NO_CHROMIUM = (
    "browser tests need Debian's Chromium (apt-get install chromium): "
    "shutil.which('chromium') found nothing"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_CLOCK_SKEW = timedelta(minutes=90)


class ThreadedServer:
    """uvicorn.Server on a thread with its own event loop, on an already bound socket."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2, loop="asyncio"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="hourglass-uvicorn", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._sock]))

    def __enter__(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


@pytest.fixture(scope="session")
def base_url(backend: Backend) -> Iterator[str]:
    clock = TravellingClock()
    clock.offset = SERVER_CLOCK_SKEW
    # The stream's default heartbeat: the page must keep time from pushed changes alone.
    app = create_app(api_settings(backend, stream_heartbeat_seconds=20.0), ClockProvider(clock))
    with ThreadedServer(app) as url:
        yield url


@pytest.fixture(scope="session")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{base_url}/api/v1", timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop running on this thread until it stops, and
    # the backend fixture needs asyncio.run: so the server (and backend) come up first and
    # go down after the browser. Module scope stops Playwright before any later async test
    # module needs this thread's event loop.
    del base_url
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    with sync_playwright() as playwright:
        # launch() gives every run a fresh, throwaway profile directory.
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context(viewport={"width": 1100, "height": 860}, locale="en-GB")
    created.set_default_timeout(8000)
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
