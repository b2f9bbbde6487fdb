from __future__ import annotations

from tests.fakes.builders import wire
from tests.fakes.probes import FakeProbe


async def test_ready_when_every_service_answers() -> None:
    services = wire(probes=[FakeProbe("postgres"), FakeProbe("redis")])
    assert await services.check_readiness() == {"postgres": True, "redis": True}


async def test_reports_the_service_that_does_not_answer() -> None:
    redis = FakeProbe("redis", answers=False)
    services = wire(probes=[FakeProbe("postgres"), redis])
    assert await services.check_readiness() == {"postgres": True, "redis": False}
    assert redis.pings == 1


async def test_asks_again_on_every_check() -> None:
    postgres = FakeProbe("postgres")
    services = wire(probes=[postgres])
    await services.check_readiness()
    postgres.answers = False
    assert await services.check_readiness() == {"postgres": False}
    assert postgres.pings == 2


class _BrokenProbe(FakeProbe):
    async def ping(self) -> bool:
        raise ConnectionError("refused")


async def test_a_probe_that_raises_counts_as_not_ready() -> None:
    services = wire(probes=[FakeProbe("postgres"), _BrokenProbe("redis")])
    assert await services.check_readiness() == {"postgres": True, "redis": False}
