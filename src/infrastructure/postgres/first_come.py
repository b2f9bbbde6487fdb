"""Turns at a bounded resource, handed out strictly in the order they were asked for."""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType


class FirstComeFirstServed:
    """At most `slots` holders at once; a freed slot goes to the longest waiter.

    asyncpg's pool waits on an `asyncio.Queue`, where a request arriving just as a
    connection is returned can take it before the waiter that was woken for it, which
    then queues again at the back. Under a steady load that barging starves a few
    requests for several turns, and their wait becomes the save's tail latency. Here a
    freed slot is handed to the first waiter directly, so no newcomer can overtake it.
    """

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self.slots = slots
        self._free = slots
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def __aenter__(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._hand_on()  # the slot arrived as we were cancelled: pass it on
            elif turn in self._waiters:  # a freed slot may have skipped it already
                self._waiters.remove(turn)
            raise

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._hand_on()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def _hand_on(self) -> None:
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot moves to the waiter: `_free` is unchanged
                return
        self._free += 1
