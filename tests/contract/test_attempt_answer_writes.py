"""The `AnswerWrites` port: the same verdicts from the in-memory fake and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from application.ports import AppliedAnswer, StaleVersion
from domain.attempt import AnswerChange, Attempt
from domain.events import EventKind
from domain.exam import Exam, Option, Question
from domain.questions.base import JsonValue
from domain.questions.choice import MultipleChoice
from domain.questions.numeric import NumericAnswer
from domain.questions.open_ended import External
from domain.sections import Section
from tests.contract.conftest_attempts import (
    AttemptSide,
    attempt_database_fixture,  # noqa: F401 (a fixture)
    attempt_side_fixture,  # noqa: F401 (a fixture)
    committed_attempt,
    read_back,
)
from tests.integration.postgres.builders import NOW, ZERO, adaptive_exam, fixed_exam, question

SOON = NOW + timedelta(minutes=5)
OPTIONS = (Option(key="a", text="Alpha"), Option(key="b", text="Beta"), Option(key="c", text="Γ"))


def answer(
    attempt: Attempt, question_id: str, option: str | None, *, expected: int | None = None
) -> AnswerChange:
    """Decided on a live copy, as the service's common path does: the store checks the
    version."""
    return attempt.live().answer_change(
        question(question_id),
        option,
        now=SOON,
        network_grace=ZERO,
        expected_version=expected,
    )


async def write_answer(
    side: AttemptSide, change: AnswerChange, close_after: datetime = SOON
) -> AppliedAnswer | StaleVersion | None:
    # Written outside the unit's transaction: durable though the unit never commits.
    async with side.unit() as unit:
        return await unit.answers.apply_answer(change, answers_close_after=close_after)


async def test_an_answer_is_durable_without_a_commit(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    applied = await write_answer(attempt_side, answer(attempt, "q1", "b"))
    assert applied == AppliedAnswer(version=1, deadline=attempt.timer.deadline, late=False)
    stored = await read_back(attempt_side, attempt)
    assert (stored.answers, stored.version) == ({"q1": "b"}, 1)
    async with attempt_side.unit() as unit:
        event = (await unit.audit_trail.events(attempt.id))[-1]
    assert (event.kind, event.version, event.data) == (
        EventKind.ANSWER_SAVED,
        1,
        {"question_id": "q1", "option": "b"},
    )


async def test_a_clear_removes_the_answer(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    await write_answer(attempt_side, answer(attempt, "q1", "b"))
    applied = await write_answer(attempt_side, answer(attempt, "q1", None))
    assert isinstance(applied, AppliedAnswer)
    assert applied.version == 2
    assert (await read_back(attempt_side, attempt)).answers == {}


async def test_only_the_version_in_the_way_is_a_stale_version(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    await write_answer(attempt_side, answer(attempt, "q1", "b", expected=0))
    refused = await write_answer(attempt_side, answer(attempt, "q2", "a", expected=0))
    assert refused == StaleVersion(current_version=1)
    assert (await read_back(attempt_side, attempt)).answers == {"q1": "b"}


async def test_past_the_close_or_paused_nothing_is_written(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    closed = attempt.timer.deadline
    assert await write_answer(attempt_side, answer(attempt, "q1", "b"), close_after=closed) is None
    async with attempt_side.unit() as unit:
        locked = await unit.attempts.get_for_update(attempt.id)
        assert locked is not None
        locked.pause(reason="fire alarm", now=SOON)
        await unit.attempts.update(locked)
        await unit.transaction.commit()
    assert await write_answer(attempt_side, answer(attempt, "q1", "b", expected=1)) is None
    assert (await read_back(attempt_side, attempt)).answers == {}


async def test_the_store_marks_an_answer_after_its_deadline_late(
    attempt_side: AttemptSide,
) -> None:
    attempt = await committed_attempt(attempt_side)
    deadline = attempt.timer.deadline
    change = attempt.answer_change(
        question("q1"), "b", now=deadline, network_grace=timedelta(seconds=2)
    )
    assert "late" not in change.event.data
    applied = await write_answer(attempt_side, change, close_after=deadline - timedelta(seconds=2))
    assert applied == AppliedAnswer(version=1, deadline=deadline, late=True)
    async with attempt_side.unit() as unit:
        assert (await unit.audit_trail.events(attempt.id))[-1].data["late"] is True


async def test_a_response_needs_the_count_the_engine_chose_from(
    attempt_side: AttemptSide,
) -> None:
    exam = adaptive_exam()
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam, now=exam.opens_at or NOW)
    at = (exam.opens_at or NOW) + timedelta(minutes=1)
    first = attempt.response_change(
        "i2", "a", administered=exam.question("i2"), now=at, network_grace=ZERO
    )
    async with attempt_side.unit() as unit:
        assert (
            await unit.answers.apply_response(first, answers_close_after=at, responses_before=0)
            == 1
        )
        # A concurrent response to the same item was chosen from the same count: refused.
        assert (
            await unit.answers.apply_response(first, answers_close_after=at, responses_before=0)
            is None
        )
    stored = await read_back(attempt_side, attempt)
    assert (stored.responses, stored.answers, stored.version) == (
        (first.response,),
        {"i2": "a"},
        1,
    )


TYPED = (
    Question(
        id="many", stem="?", options=OPTIONS, key=MultipleChoice(correct_keys=frozenset("ac"))
    ),
    Question(id="number", stem="?", key=NumericAnswer(value=2.5)),
    Question(id="platform", stem="?", key=External()),
)


async def test_typed_responses_are_stored_and_read_back_as_their_types(
    attempt_side: AttemptSide,
) -> None:
    """A list stays a list, a number a number, a JSON object an object, on both sides."""
    exam = fixed_exam(questions=TYPED)
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam)
    responses: dict[str, JsonValue] = {
        "many": ["c", "a"],
        "number": 2.5,
        "platform": {"steps": [1, 2.5, "x"], "done": True, "note": None},
    }
    for version, (qid, response) in enumerate(responses.items(), start=1):
        change = attempt.live().answer_change(
            next(q for q in TYPED if q.id == qid), response, now=SOON, network_grace=ZERO
        )
        applied = await write_answer(attempt_side, change)
        assert isinstance(applied, AppliedAnswer)
        assert applied.version == version
    stored = await read_back(attempt_side, attempt)
    assert stored.answers == responses
    assert type(stored.answers["number"]) is float
    assert isinstance(stored.answers["many"], list)
    async with attempt_side.unit() as unit:
        events = (await unit.audit_trail.events(attempt.id))[-3:]
    assert [event.data for event in events] == [
        {"question_id": qid, "response": response} for qid, response in responses.items()
    ]


def _sectioned_exam() -> Exam:
    sections = (
        Section(id="first", question_ids=("q1", "q2"), duration=timedelta(minutes=10)),
        Section(id="second", question_ids=("q3",)),
    )
    return replace(fixed_exam(), sections=sections)


async def test_an_answer_outside_the_running_section_is_refused(attempt_side: AttemptSide) -> None:
    exam = _sectioned_exam()
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam)
    assert await write_answer(attempt_side, answer(attempt, "q3", "c")) is None  # pending
    applied = await write_answer(attempt_side, answer(attempt, "q1", "a"))
    assert isinstance(applied, AppliedAnswer)
    assert applied.late is False
    stored = await read_back(attempt_side, attempt)
    assert stored.answers == {"q1": "a"}
    assert stored.sections is not None
    assert stored.sections.open_questions() == ("q1", "q2")


async def test_an_answer_after_the_section_deadline_is_refused(attempt_side: AttemptSide) -> None:
    exam = _sectioned_exam()
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam)
    section_end = NOW + timedelta(minutes=10)
    late = await write_answer(attempt_side, answer(attempt, "q1", "a"), close_after=section_end)
    assert late is None
    just_in = section_end - timedelta(seconds=1)
    change = attempt.live().answer_change(
        question("q2"), "b", now=section_end + timedelta(seconds=1), network_grace=ZERO
    )
    applied = await write_answer(attempt_side, change, close_after=just_in)
    assert isinstance(applied, AppliedAnswer)
    assert applied.late is True  # past the section's own deadline, inside the grace
