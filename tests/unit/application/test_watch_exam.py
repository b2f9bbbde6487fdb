"""The exam's live board after a resync: it re-reads at once, not at its next re-read tick."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID, uuid4

from application.ports import AttemptUpdate, UpdateKind
from application.ports.exam_board import BoardRow
from application.use_cases.watch_exam import AttemptLine, ExamStreamSettings, WatchExam
from domain.attempt import Attempt
from domain.exam import Exam
from tests.fakes.builders import ADMIN, Services

# With an hour per tick, whatever the stream tells within seconds it re-read on a push.
HOURLY = ExamStreamSettings(tick=timedelta(hours=1))


class Board:
    """The exam's rows as the test sets them (answered counts publish no update)."""

    def __init__(self, rows: list[BoardRow]) -> None:
        self.rows = rows

    async def of_exam(self, exam_id: UUID) -> list[BoardRow]:
        return list(self.rows)


def watching(services: Services, board: Board, settings: ExamStreamSettings) -> WatchExam:
    return WatchExam(
        services.exams,
        board,
        services.live_updates,
        services.transaction,
        services.clock,
        settings,
    )


async def test_a_resync_rereads_the_board_at_once(
    services: Services, exam: Exam, attempt: Attempt
) -> None:
    board = Board([BoardRow(attempt=attempt, answered=0)])
    watch = watching(services, board, HOURLY)
    lines = await watch.open(ADMIN, exam.id)
    first = await anext(lines)
    assert isinstance(first, AttemptLine)
    assert first.answered == 0
    board.rows = [BoardRow(attempt=attempt, answered=2)]
    waiting = asyncio.ensure_future(anext(lines))
    await asyncio.sleep(0.02)
    assert not waiting.done()  # nothing pushed: it would wait for the hour's tick
    services.live_updates.resync()
    changed = await asyncio.wait_for(waiting, timeout=5)
    assert isinstance(changed, AttemptLine)
    assert (changed.attempt_id, changed.answered) == (attempt.id, 2)
    await lines.aclose()  # type: ignore[attr-defined]


async def test_another_exams_updates_do_not_hold_back_the_reread(
    services: Services, exam: Exam, attempt: Attempt
) -> None:
    # Another exam's mass expiry: its attempts' updates never stop coming.
    settings = ExamStreamSettings(tick=timedelta(milliseconds=20), reread_every_ticks=2)
    board = Board([BoardRow(attempt=attempt, answered=0)])
    watch = watching(services, board, settings)
    lines = await watch.open(ADMIN, exam.id)
    await anext(lines)
    board.rows = [BoardRow(attempt=attempt, answered=2)]

    async def expire_another_exam() -> None:
        while True:
            await services.live_updates.publish(
                AttemptUpdate(attempt_id=uuid4(), kind=UpdateKind.STATUS, reason="expired")
            )
            await asyncio.sleep(0)

    flood = asyncio.ensure_future(expire_another_exam())
    try:
        changed = await asyncio.wait_for(anext(lines), timeout=2)
    finally:
        flood.cancel()
        await lines.aclose()  # type: ignore[attr-defined]
    assert isinstance(changed, AttemptLine)
    assert (changed.attempt_id, changed.answered) == (attempt.id, 2)
