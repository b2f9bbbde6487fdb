"""Stopping a background task of `serve`: let it finish, then cancel what is left."""

from __future__ import annotations

import asyncio
import contextlib


async def stop_within(task: asyncio.Task[None], grace_seconds: float) -> None:
    """Wait `grace_seconds` for a task already asked to stop; then cancel it until it is
    done. Its own failure was logged where it happened: it does not fail the shutdown."""
    await asyncio.wait({task}, timeout=grace_seconds)
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
    with contextlib.suppress(asyncio.CancelledError, Exception):
        task.result()
