from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import AccessDenied, ExamNotFound
from application.identity import Actor
from application.use_cases.start_attempt import StartAttemptCommand
from domain.accommodation import Accommodation
from domain.attempt import Attempt
from domain.errors import ExamNotOpen, MaxAttemptsReached
from domain.events import EventKind
from domain.exam import Exam
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, ALICE, BOB, Services, make_exam, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)


def start(exam: Exam, actor: Actor = ALICE) -> StartAttemptCommand:
    return StartAttemptCommand(actor=actor, exam_id=exam.id)


async def kinds(services: Services, attempt: Attempt) -> list[EventKind]:
    return [event.kind for event in await services.attempts.events(attempt.id)]


async def test_a_new_attempt_is_created_and_committed(services: Services, exam: Exam) -> None:
    started = await services.start_attempt(start(exam))
    attempt = started.attempt
    assert started.created
    assert (attempt.status, attempt.version, attempt.candidate_id) == (
        AttemptStatus.IN_PROGRESS,
        0,
        "alice",
    )
    assert attempt.timer.deadline == T0 + 30 * MIN
    assert (await services.stored(attempt.id)).timer == attempt.timer
    assert await kinds(services, attempt) == [EventKind.STARTED]
    assert services.hot_state.peek(attempt.id) is not None


async def test_hot_state_is_filled_after_the_commit(services: Services, exam: Exam) -> None:
    attempt = await services.started(exam)
    assert services.journal[-2:] == ["commit", f"put {attempt.id} v0"]


async def test_starting_again_resumes_the_attempt_in_progress(
    services: Services, exam: Exam
) -> None:
    first = await services.started(exam)
    await services.answer(first, "q1", "A")
    services.clock.advance(5 * MIN)
    again = await services.start_attempt(start(exam))
    assert not again.created
    assert again.attempt.id == first.id
    assert again.attempt.version == 1
    assert again.attempt.answers == {"q1": "A"}
    events = await services.attempts.events(first.id)
    assert events[-1].kind is EventKind.RESUMED
    assert (events[-1].at, events[-1].version) == (T0 + 5 * MIN, 1)
    assert await services.count_committed_attempts(exam) == 1


async def test_each_candidate_gets_their_own_attempt(services: Services, exam: Exam) -> None:
    alice = await services.started(exam, ALICE)
    bob = await services.started(exam, BOB)
    assert alice.id != bob.id
    assert bob.candidate_id == "bob"


async def test_an_admin_does_not_take_exams(services: Services, exam: Exam) -> None:
    with pytest.raises(AccessDenied):
        await services.start_attempt(start(exam, ADMIN))


async def test_an_unknown_exam(services: Services) -> None:
    with pytest.raises(ExamNotFound):
        await services.start_attempt(StartAttemptCommand(actor=ALICE, exam_id=uuid4()))


async def test_an_exam_not_open_yet(services: Services) -> None:
    exam = await services.given_exam(make_exam(opens_at=T0 + MIN))
    with pytest.raises(ExamNotOpen):
        await services.started(exam)
    assert await services.count_committed_attempts(exam) == 0


async def test_an_exam_already_closed(services: Services) -> None:
    exam = await services.given_exam(make_exam(closes_at=T0))
    with pytest.raises(ExamNotOpen):
        await services.started(exam)


async def test_a_closed_exam_is_not_open_even_with_no_attempts_left(services: Services) -> None:
    exam = await services.given_exam(make_exam(closes_at=T0 + 10 * MIN))
    await services.submit_attempt(query(await services.started(exam)))
    services.clock.advance(11 * MIN)
    with pytest.raises(ExamNotOpen):
        await services.started(exam)


async def test_the_deadline_is_capped_by_the_exam_closing(services: Services) -> None:
    exam = await services.given_exam(make_exam(closes_at=T0 + 10 * MIN))
    assert (await services.started(exam)).timer.deadline == T0 + 10 * MIN


async def test_no_new_attempt_after_the_last_allowed(services: Services, exam: Exam) -> None:
    attempt = await services.started(exam)
    await services.submit_attempt(query(attempt))
    with pytest.raises(MaxAttemptsReached) as raised:
        await services.started(exam)
    assert raised.value.max_attempts == 1


async def test_a_second_attempt_when_allowed(services: Services) -> None:
    exam = await services.given_exam(make_exam(max_attempts=2))
    first = await services.started(exam)
    await services.submit_attempt(query(first))
    second = await services.start_attempt(start(exam))
    assert second.created
    assert second.attempt.id != first.id
    assert services.attempts.store.rows[second.attempt.id].number == 2


async def test_an_overdue_attempt_is_expired_before_a_new_one_starts(services: Services) -> None:
    exam = await services.given_exam(make_exam(max_attempts=2))
    first = await services.started(exam)
    await services.answer(first, "q1", "A")
    services.clock.advance(31 * MIN)
    second = await services.start_attempt(start(exam))
    assert second.created
    old = await services.stored(first.id)
    assert old.status is AttemptStatus.EXPIRED
    assert old.result is not None
    assert (old.result.score, old.result.finished_at) == (1, T0 + 30 * MIN)
    assert services.hot_state.peek(first.id) is None


async def test_an_overdue_last_attempt_is_expired_and_no_new_one_starts(
    services: Services, exam: Exam
) -> None:
    first = await services.started(exam)
    services.clock.advance(31 * MIN)
    with pytest.raises(MaxAttemptsReached):
        await services.started(exam)
    assert (await services.stored(first.id)).status is AttemptStatus.EXPIRED


async def start_losing_a_race(services: Services, exam: Exam) -> Attempt:
    """Alice starts while another of her sessions starts first, between her decision and
    her insert; her start must come back with that session's attempt, resumed."""
    winner: list[Attempt] = []

    async def concurrent_start() -> None:
        winner.append(await services.other_session().started(exam))

    services.attempts.interleave = concurrent_start
    started = await services.start_attempt(start(exam))
    assert not started.created
    assert started.attempt.id == winner[0].id
    return started.attempt


async def test_losing_the_race_to_a_first_start_resumes_the_winner(
    services: Services, exam: Exam
) -> None:
    await start_losing_a_race(services, exam)
    assert services.transaction.rollbacks == 0  # the refused first start wrote nothing
    assert await services.count_committed_attempts(exam) == 1


async def test_losing_the_race_to_a_later_start_resumes_the_winner(services: Services) -> None:
    exam = await services.given_exam(make_exam(max_attempts=2))
    await services.submit_attempt(query(await services.started(exam)))
    await start_losing_a_race(services, exam)
    assert services.transaction.rollbacks == 1
    assert await services.count_committed_attempts(exam) == 2


async def test_an_accommodated_window_opens_an_exam_closed_to_others(services: Services) -> None:
    exam = await services.given_exam(make_exam(closes_at=T0))
    await services.accommodations.put(
        exam.id, "alice", Accommodation(reason="late sitting", closes_at=T0 + 60 * MIN)
    )
    await services.transaction.commit()
    with pytest.raises(ExamNotOpen):
        await services.start_attempt(start(exam, BOB))
    started = await services.start_attempt(start(exam))
    assert started.created
    assert started.attempt.timer.deadline == T0 + 30 * MIN


async def test_an_accommodated_first_start_gets_its_time_and_attempts(services: Services) -> None:
    exam = await services.given_exam(make_exam())
    accommodation = Accommodation(reason="x", time_multiplier=1.5, extra_attempts=1)
    await services.accommodations.put(exam.id, "alice", accommodation)
    await services.transaction.commit()
    first = await services.started(exam)
    assert first.timer.deadline == T0 + 45 * MIN
    await services.submit_attempt(query(first))
    second = await services.start_attempt(start(exam))  # the exam allows one; alice two
    assert second.created
    assert services.attempts.store.rows[second.attempt.id].number == 2


async def test_hot_state_down_still_starts(services: Services, exam: Exam) -> None:
    services.hot_state.down = True
    started = await services.start_attempt(start(exam))
    assert started.created
    assert (await services.stored(started.attempt.id)).id == started.attempt.id
