"""Saving typed responses and scoring essays through the use cases, on the fakes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.errors import AccessDenied
from application.use_cases.change_answer import AnswerCommand
from application.use_cases.score_answer import ScoreAnswer, ScoreCommand
from domain.attempt import Attempt
from domain.errors import AttemptNotFinal, InvalidResponse, ScoreRefused, UnknownQuestion
from domain.events import EventKind
from domain.exam import Exam, Option, Question
from domain.questions import (
    Essay,
    External,
    JsonValue,
    MultipleChoice,
    MultipleScoring,
    NumericAnswer,
    TextAnswer,
)
from tests.fakes.builders import ADMIN, ALICE, Services, make_exam, query

OPTIONS = tuple(Option(key=k, text=k) for k in "ABCD")
QUESTIONS = (
    Question(id="q1", stem="s", options=OPTIONS, correct_key="A"),
    Question(
        id="m",
        stem="s",
        options=OPTIONS,
        key=MultipleChoice(correct_keys=frozenset("AB"), scoring=MultipleScoring.PARTIAL),
        points=2,
    ),
    Question(id="n", stem="s", key=NumericAnswer(value=9.81, tolerance=0.05)),
    Question(id="t", stem="s", key=TextAnswer(accepted=("Oxygen",))),
    Question(id="e", stem="s", key=Essay(max_length=100), points=3),
    Question(id="x", stem="s", key=External(), points=0.5),
)


@pytest.fixture
async def typed_exam(services: Services) -> Exam:
    return await services.given_exam(make_exam(questions=QUESTIONS))


@pytest.fixture
async def typed_attempt(services: Services, typed_exam: Exam) -> Attempt:
    return await services.started(typed_exam)


def scorer(services: Services) -> ScoreAnswer:
    return ScoreAnswer(
        services.attempts, services.loader, services.finaliser, services.transaction, services.clock
    )


async def save(services: Services, attempt: Attempt, qid: str, response: JsonValue) -> int:
    command = AnswerCommand(actor=ALICE, attempt_id=attempt.id, question_id=qid, response=response)
    return (await services.change_answer(command)).version


async def test_typed_responses_are_stored_as_given(
    services: Services, typed_attempt: Attempt
) -> None:
    responses: dict[str, JsonValue] = {
        "m": ["B", "C"],
        "n": 9.8,
        "t": " oxygen ",
        "e": "An essay.",
        "x": {"state": [1, 2]},
    }
    for qid, response in responses.items():
        await save(services, typed_attempt, qid, response)
    stored = await services.stored(typed_attempt.id)
    assert stored.answers == responses
    events = await services.attempts.events(typed_attempt.id)
    assert events[-1].data == {"question_id": "x", "response": {"state": [1, 2]}}


async def test_a_refused_response_changes_nothing(
    services: Services, typed_attempt: Attempt
) -> None:
    with pytest.raises(InvalidResponse) as refused:
        await save(services, typed_attempt, "m", ["A", "Z"])
    assert (refused.value.question_id, refused.value.field) == ("m", "response[1]")
    stored = await services.stored(typed_attempt.id)
    assert (stored.answers, stored.version) == ({}, 0)


async def test_submit_scores_every_type_and_leaves_essays_pending(
    services: Services, typed_attempt: Attempt
) -> None:
    for qid, response in {"q1": "A", "m": ["B", "C"], "n": 9.77, "t": "OXYGEN", "e": "x"}.items():
        await save(services, typed_attempt, qid, response)
    result = await services.submit_attempt(query(typed_attempt))
    # 1 + (2 * (1 - 1) / 2 = 0) + 1 + 1; the essay's 3 pending; x unanswered.
    assert (result.score, result.max_score, result.pending_points) == (3, 8.5, 3)
    assert not result.scored


async def test_scoring_an_essay(services: Services, typed_attempt: Attempt) -> None:
    await save(services, typed_attempt, "e", "An essay.")
    await save(services, typed_attempt, "x", [1])
    score = scorer(services)

    def command(qid: str, points: str, actor: object = ADMIN) -> ScoreCommand:
        return ScoreCommand(
            actor=actor,  # type: ignore[arg-type]
            attempt_id=typed_attempt.id,
            question_id=qid,
            points=Decimal(points),
            comment="fine",
        )

    with pytest.raises(AttemptNotFinal):
        await score(command("e", "1"))
    await services.submit_attempt(query(typed_attempt))
    with pytest.raises(AccessDenied):
        await score(command("e", "1", ALICE))
    with pytest.raises(ScoreRefused, match="at most"):
        await score(command("e", "3.5"))
    with pytest.raises(ScoreRefused, match="scored by the service"):
        await score(command("q1", "1"))
    with pytest.raises(UnknownQuestion):
        await score(command("nope", "1"))

    first = await score(command("e", "2.5"))
    assert (first.score, first.pending_points, first.scored) == (2.5, 0.5, False)
    again = await score(command("e", "1.5"))  # a scorer may change their mind
    assert (again.score, again.scored) == (1.5, False)
    last = await score(command("x", "0.5"))
    assert (last.score, last.pending_points, last.scored) == (2, 0, True)

    stored = await services.stored(typed_attempt.id)
    assert stored.answers == {"e": "An essay.", "x": [1]}
    assert stored.result == last
    kinds = [event.kind for event in await services.attempts.events(typed_attempt.id)]
    assert kinds[-4:] == [
        EventKind.QUESTION_SCORED,
        EventKind.QUESTION_SCORED,
        EventKind.QUESTION_SCORED,
        EventKind.ATTEMPT_RESCORED,
    ]


async def test_an_unanswered_essay_has_nothing_to_score(
    services: Services, typed_attempt: Attempt
) -> None:
    await services.submit_attempt(query(typed_attempt))
    command = ScoreCommand(
        actor=ADMIN, attempt_id=typed_attempt.id, question_id="e", points=Decimal(1)
    )
    with pytest.raises(ScoreRefused, match="not answered"):
        await scorer(services)(command)
