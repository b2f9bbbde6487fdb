"""The bench reads the service's collector pauses back from its /metrics text."""

from __future__ import annotations

import pytest
from bench.collector import GenerationPauses, parsed_pauses

from presentation.api.metrics import exposition
from presentation.bootstrap.heap import CollectorPauses


def test_counts_the_pauses_over_10_and_100_ms_and_their_seconds_per_generation() -> None:
    now = [0.0]
    pauses = CollectorPauses(lambda: now[0])
    for generation, seconds in ((0, 0.002), (0, 0.03), (1, 0.25), (1, 0.004)):
        pauses._observe("start", {"generation": generation})
        now[0] += seconds
        pauses._observe("stop", {"generation": generation})
    read = parsed_pauses(exposition(pauses.families()))
    assert (read[0].collections, read[0].over_10_ms, read[0].over_100_ms) == (2, 1, 0)
    assert (read[1].collections, read[1].over_10_ms, read[1].over_100_ms) == (2, 1, 1)
    assert read[1].seconds == pytest.approx(0.254)
    assert read[2] == GenerationPauses()
    assert read[1].since(read[1]) == GenerationPauses()
