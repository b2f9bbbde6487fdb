"""What the generator's process needs to hold 10,000+ connections: file descriptors and uvloop."""

from __future__ import annotations

import asyncio
import resource
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvloop

T = TypeVar("T")


def raise_open_files() -> int:
    """Lift this process's open-file limit as far as allowed; the service inherits it.
    Each candidate holds two sockets (stream and requests) on each side of loopback."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for wanted in (262_144, 65_536, hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(wanted, hard)))
            return wanted
        except (ValueError, OSError):
            continue
    return soft


def on_uvloop(coroutine: Coroutine[Any, Any, T]) -> T:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)
