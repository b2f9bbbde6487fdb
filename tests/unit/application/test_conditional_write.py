"""The retry loop of the answer and response writes, on its own."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from application.conditional_write import ATTEMPTS_AT_WRITING, ConditionalWrite
from domain.errors import AttemptPaused, VersionConflict


@dataclass
class Script:
    """Copies are ints (their version); the calls are recorded in order."""

    refuse_rules_on: set[int] = field(default_factory=set)
    store_accepts_from: int | None = None
    calls: list[str] = field(default_factory=list)
    reloads: int = 0

    def decide(self, copy: int) -> str:
        self.calls.append(f"decide {copy}")
        if copy in self.refuse_rules_on:
            raise AttemptPaused()
        return f"change on {copy}"

    async def write(self, copy: int, change: str) -> str | None:
        self.calls.append(f"write {change}")
        accepted = self.store_accepts_from is not None and copy >= self.store_accepts_from
        return "written" if accepted else None

    async def reload(self, copy: int) -> int:
        self.reloads += 1
        return 100 + self.reloads  # each read of PostgreSQL finds a newer version

    async def explain(self, copy: int) -> None:
        self.calls.append(f"explain {copy}")

    def run(self) -> ConditionalWrite[int, str, str]:
        return ConditionalWrite(
            decide=self.decide,
            write=self.write,
            reload=self.reload,
            explain=self.explain,
            version_of=lambda copy: copy,
        )


async def test_the_common_path_decides_once_and_writes_once() -> None:
    script = Script(store_accepts_from=0)
    accepted = await script.run()(7)
    assert (accepted.judged, accepted.change, accepted.written) == (7, "change on 7", "written")
    assert script.calls == ["decide 7", "write change on 7"]


async def test_a_live_copy_the_rules_refuse_is_judged_again_from_postgresql() -> None:
    script = Script(refuse_rules_on={7}, store_accepts_from=101)
    accepted = await script.run()(7)
    assert accepted.judged == 101
    assert script.calls == ["decide 7", "decide 101", "write change on 101"]


async def test_a_durable_copy_the_rules_refuse_is_explained_and_raised() -> None:
    script = Script(refuse_rules_on={7, 101})
    with pytest.raises(AttemptPaused):
        await script.run()(7)
    assert script.calls == ["decide 7", "decide 101", "explain 101"]


async def test_a_store_that_keeps_refusing_is_a_conflict_at_the_last_version_read() -> None:
    script = Script()
    with pytest.raises(VersionConflict) as raised:
        await script.run()(7)
    assert script.reloads == ATTEMPTS_AT_WRITING
    assert raised.value.current_version == 100 + ATTEMPTS_AT_WRITING
