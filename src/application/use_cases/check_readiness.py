from __future__ import annotations

import asyncio
from collections.abc import Sequence

from application.ports import Probe


class CheckReadiness:
    """Whether every backing service answers; maps service name to its answer."""

    def __init__(self, probes: Sequence[Probe]) -> None:
        self._probes = probes

    async def __call__(self) -> dict[str, bool]:
        answers = await asyncio.gather(
            *(probe.ping() for probe in self._probes), return_exceptions=True
        )
        # A probe that raises instead of answering is as unready as one that says False.
        return {
            probe.name: answer is True for probe, answer in zip(self._probes, answers, strict=True)
        }
