"""A backing service that answers as the test says."""

from __future__ import annotations

from application.ports import Probe


class FakeProbe(Probe):
    def __init__(self, name: str, *, answers: bool = True) -> None:
        self.name = name
        self.answers = answers
        self.pings = 0

    async def ping(self) -> bool:
        self.pings += 1
        return self.answers
