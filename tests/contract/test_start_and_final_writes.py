"""`AttemptStarts` and `FinalWrites`: the start's and the submit's own writes, the same
from the in-memory fakes and from the asyncpg adapters."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from application.errors import ActiveAttemptExists
from domain.accommodation import Accommodation
from domain.attempt import Attempt
from domain.errors import AttemptPaused
from domain.events import EventKind
from domain.exam import Exam
from domain.regrade import Regrade, regraded
from domain.result import AttemptStatus
from tests.contract.conftest_attempts import (
    AttemptSide,
    attempt_database_fixture,  # noqa: F401 (a fixture)
    attempt_side_fixture,  # noqa: F401 (a fixture)
    read_back,
)
from tests.integration.postgres.builders import NOW, fixed_exam, started

LATER = NOW + timedelta(minutes=1)


async def _exam(side: AttemptSide) -> Exam:
    exam = fixed_exam()
    await side.store_exam(exam)
    return exam


async def _begun(side: AttemptSide, exam: Exam, candidate_id: str, number: int = 1) -> Attempt:
    attempt = started(exam, candidate_id=candidate_id)
    async with side.unit() as unit:
        await unit.starts.begin(attempt, number=number)
    return attempt


async def test_facts_of_a_first_start(attempt_side: AttemptSide) -> None:
    exam = await _exam(attempt_side)
    async with attempt_side.unit() as unit:
        facts = await unit.starts.facts(exam.id, "nobody-yet")
    assert (facts.started_before, facts.in_progress, facts.accommodation) == (0, False, None)


@pytest.mark.parametrize("first", [False, True], ids=["begin", "begin_first"])
async def test_a_begun_attempt_is_committed_with_its_start_event(
    attempt_side: AttemptSide, first: bool
) -> None:
    exam = await _exam(attempt_side)
    attempt = started(exam, candidate_id="ada")
    async with attempt_side.unit() as unit:
        if first:  # the first start's one statement
            assert await unit.starts.begin_first(attempt)
        else:
            await unit.starts.begin(attempt, number=1)
    assert attempt.pending_events == []
    found = await read_back(attempt_side, attempt)  # another unit: it was committed
    assert (found.status, found.version, found.answers) == (AttemptStatus.IN_PROGRESS, 0, {})
    assert found.timer == attempt.timer
    async with attempt_side.unit() as unit:
        events = await unit.audit_trail.events(attempt.id)
        facts = await unit.starts.facts(exam.id, "ada")
    assert [(event.kind, event.version) for event in events] == [(EventKind.STARTED, 0)]
    assert (facts.started_before, facts.in_progress) == (1, True)


async def test_a_second_attempt_in_progress_is_refused_unwritten(
    attempt_side: AttemptSide,
) -> None:
    exam = await _exam(attempt_side)
    await _begun(attempt_side, exam, "bea")
    second = started(exam, candidate_id="bea")
    async with attempt_side.unit() as unit:
        with pytest.raises(ActiveAttemptExists):
            await unit.starts.begin(second, number=2)
    async with attempt_side.unit() as unit:
        assert await unit.attempts.get(second.id) is None
        assert await unit.audit_trail.events(second.id) == []
        assert (await unit.starts.facts(exam.id, "bea")).started_before == 1


async def test_a_number_taken_twice_is_refused(attempt_side: AttemptSide) -> None:
    exam = await _exam(attempt_side)
    first = await _begun(attempt_side, exam, "cy")
    await _finalised(attempt_side, first.id, exam)
    again = started(exam, candidate_id="cy")
    async with attempt_side.unit() as unit:
        with pytest.raises(ActiveAttemptExists):
            await unit.starts.begin(again, number=1)  # a racing start took number 2's place
        facts = await unit.starts.facts(exam.id, "cy")
    assert (facts.started_before, facts.in_progress) == (1, False)


async def test_facts_carry_the_candidates_accommodation(attempt_side: AttemptSide) -> None:
    exam = await _exam(attempt_side)
    accommodation = Accommodation(
        reason="dyslexia",
        time_multiplier=1.5,
        extra_time=timedelta(minutes=5),
        opens_at=NOW - timedelta(hours=1),
        closes_at=NOW + timedelta(hours=3),
        extra_attempts=2,
    )
    async with attempt_side.unit() as unit:
        await unit.accommodations.put(exam.id, "dee", accommodation)
        await unit.transaction.commit()
    async with attempt_side.unit() as unit:
        facts = await unit.starts.facts(exam.id, "dee")
        other = await unit.starts.facts(exam.id, "eve")
    assert facts.accommodation == accommodation
    assert other.accommodation is None


@pytest.mark.parametrize("finished", [False, True], ids=["in progress", "finished"])
async def test_a_first_start_is_refused_unwritten_after_any_attempt(
    attempt_side: AttemptSide, finished: bool
) -> None:
    exam = await _exam(attempt_side)
    before = await _begun(attempt_side, exam, "gus")
    if finished:
        await _finalised(attempt_side, before.id, exam)
    again = started(exam, candidate_id="gus")
    async with attempt_side.unit() as unit:
        assert not await unit.starts.begin_first(again)
    await _nothing_written(attempt_side, again, started_before=1)


async def test_a_first_start_is_refused_unwritten_for_an_accommodated_candidate(
    attempt_side: AttemptSide,
) -> None:
    exam = await _exam(attempt_side)
    async with attempt_side.unit() as unit:
        await unit.accommodations.put(exam.id, "hal", Accommodation(reason="x", extra_attempts=1))
        await unit.transaction.commit()
    first = started(exam, candidate_id="hal")
    async with attempt_side.unit() as unit:
        assert not await unit.starts.begin_first(first)
    await _nothing_written(attempt_side, first, started_before=0)
    assert first.pending_events  # still to be written by the start decided on the facts
    async with attempt_side.unit() as unit:  # which then goes in as before
        await unit.starts.begin(first, number=1)
    assert (await read_back(attempt_side, first)).status is AttemptStatus.IN_PROGRESS


async def _nothing_written(side: AttemptSide, attempt: Attempt, *, started_before: int) -> None:
    async with side.unit() as unit:
        assert await unit.attempts.get(attempt.id) is None
        assert await unit.audit_trail.events(attempt.id) == []
        assert (await unit.starts.facts(attempt.exam_id, attempt.candidate_id)).started_before == (
            started_before
        )


async def _finalised(side: AttemptSide, attempt_id: UUID, exam: Exam) -> Attempt | None:
    """Submitted at LATER by `FinalWrites`, scored through the regrades it was handed."""

    async def submit(attempt: Attempt, regrades: list[Regrade]) -> bool:
        attempt.submit(regraded(exam, regrades), LATER)
        return True

    async with side.unit() as unit:
        return await unit.final_writes.finalise(attempt_id, submit)


async def _answered(side: AttemptSide, attempt: Attempt, exam: Exam, **answers: str) -> None:
    async with side.unit() as unit:
        locked = await unit.attempts.get_for_update(attempt.id)
        assert locked is not None
        for question_id, option in answers.items():
            locked.save_answer(
                exam.question(question_id), option, now=NOW, network_grace=timedelta(0)
            )
        await unit.attempts.update(locked)
        await unit.transaction.commit()


async def test_a_finalised_attempt_is_scored_written_back_and_committed(
    attempt_side: AttemptSide,
) -> None:
    exam = await _exam(attempt_side)
    attempt = await _begun(attempt_side, exam, "fay")
    await _answered(attempt_side, attempt, exam, q1="a", q2="c")
    done = await _finalised(attempt_side, attempt.id, exam)
    assert done is not None
    assert done.pending_events == []
    found = await read_back(attempt_side, attempt)
    assert found.status is AttemptStatus.SUBMITTED
    assert found.result == done.result
    assert found.result is not None
    assert (found.result.score, found.result.answered) == (1, 2)
    assert found.answers == {"q1": "a", "q2": "c"}
    async with attempt_side.unit() as unit:
        events = await unit.audit_trail.events(attempt.id)
        facts = await unit.starts.facts(exam.id, "fay")
    assert [event.kind for event in events][-1] is EventKind.SUBMITTED
    assert [event.version for event in events] == [0, 1, 2, 3]
    assert facts.in_progress is False


async def test_the_decision_gets_the_exams_regrades_oldest_first(
    attempt_side: AttemptSide,
) -> None:
    exam = await _exam(attempt_side)
    attempt = await _begun(attempt_side, exam, "gus")
    await _answered(attempt_side, attempt, exam, q2="c", q3="a")
    posted = [
        Regrade(question_id="q2", correct_keys=frozenset({"c"}), full_credit=False),
        Regrade(question_id="q3", correct_keys=None, full_credit=True),
    ]
    async with attempt_side.unit() as unit:
        for regrade in posted:
            await unit.regrades.add(exam.id, regrade, reason="typo", by="admin", at=NOW)
        await unit.transaction.commit()
    seen: list[list[Regrade]] = []

    async def look(_: Attempt, regrades: list[Regrade]) -> bool:
        seen.append(regrades)
        return False

    async with attempt_side.unit() as unit:
        await unit.final_writes.finalise(attempt.id, look)
    assert seen == [posted]
    done = await _finalised(attempt_side, attempt.id, exam)
    assert done is not None
    assert done.result is not None
    assert done.result.score == 2 + 3  # q2's key is c now; q3 gives full credit


async def test_a_decision_to_write_nothing_changes_nothing(attempt_side: AttemptSide) -> None:
    exam = await _exam(attempt_side)
    attempt = await _begun(attempt_side, exam, "hal")

    async def look_only(locked: Attempt, _: list[Regrade]) -> bool:
        locked.submit(exam, LATER)  # changed in memory, and not to be written
        return False

    async with attempt_side.unit() as unit:
        returned = await unit.final_writes.finalise(attempt.id, look_only)
    assert returned is not None
    assert returned.status is AttemptStatus.SUBMITTED
    found = await read_back(attempt_side, attempt)
    assert (found.status, found.version) == (AttemptStatus.IN_PROGRESS, 0)


async def test_a_refusal_propagates_and_releases_the_row(attempt_side: AttemptSide) -> None:
    exam = await _exam(attempt_side)
    attempt = await _begun(attempt_side, exam, "ivy")

    async def refuse(_: Attempt, __: list[Regrade]) -> bool:
        raise AttemptPaused()

    async with attempt_side.unit() as unit:
        with pytest.raises(AttemptPaused):
            await unit.final_writes.finalise(attempt.id, refuse)
    # The row lock went with the rollback: the next finalise takes it at once.
    done = await _finalised(attempt_side, attempt.id, exam)
    assert done is not None
    assert done.status is AttemptStatus.SUBMITTED
    async with attempt_side.unit() as unit:
        events = await unit.audit_trail.events(attempt.id)
    assert [event.kind for event in events] == [EventKind.STARTED, EventKind.SUBMITTED]


async def test_an_unknown_attempt_is_none_and_nothing_is_decided(
    attempt_side: AttemptSide,
) -> None:
    decided: list[Attempt] = []

    async def record(attempt: Attempt, _: list[Regrade]) -> bool:
        decided.append(attempt)
        return True

    async with attempt_side.unit() as unit:
        assert await unit.final_writes.finalise(uuid4(), record) is None
    assert decided == []


async def test_a_save_between_the_read_and_the_write_back_is_scored(
    attempt_side: AttemptSide,
) -> None:
    exam = await _exam(attempt_side)
    attempt = await _begun(attempt_side, exam, "jo")
    decisions: list[dict[str, object]] = []

    async def submit(current: Attempt, regrades: list[Regrade]) -> bool:
        decisions.append(dict(current.answers))
        if len(decisions) == 1:  # another request saves an answer meanwhile
            change = current.live().answer_change(
                exam.question("q3"), "c", now=NOW, network_grace=timedelta(0)
            )
            async with attempt_side.unit() as other:
                await other.answers.apply_answer(change, answers_close_after=NOW)
        current.submit(regraded(exam, regrades), LATER)
        return True

    async with attempt_side.unit() as unit:
        done = await unit.final_writes.finalise(attempt.id, submit)
    assert decisions == [{}, {"q3": "c"}]
    assert done is not None
    assert done.result is not None
    assert done.result.score == 3
    found = await read_back(attempt_side, attempt)
    assert (found.status, found.version, found.result) == (
        AttemptStatus.SUBMITTED,
        2,
        done.result,
    )
    async with attempt_side.unit() as unit:
        events = await unit.audit_trail.events(attempt.id)
    assert [event.kind for event in events] == [
        EventKind.STARTED,
        EventKind.ANSWER_SAVED,
        EventKind.SUBMITTED,
    ]
