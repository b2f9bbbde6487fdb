"""A regrade over attempts whose drawn sections gave some of them the question: only
those are rescored (in memory; tests/api/test_drawn_sections.py on real servers)."""

from __future__ import annotations

from dataclasses import replace

from application.identity import Actor, Role
from application.use_cases.regrade_question import RegradeCommand, RegradeQuestion
from domain.attempt import Attempt
from domain.events import EventKind
from domain.regrade import Regrade
from domain.sections import Section
from tests.fakes.builders import ADMIN, Services, make_exam, make_question, query
from tests.fakes.exam_regrades import InMemoryFinalAttemptsToRescore

POOL = tuple(f"p{i}" for i in range(6))


async def test_only_the_attempts_that_drew_the_question_are_rescored(services: Services) -> None:
    exam = replace(
        make_exam(questions=tuple(make_question(q, correct_key="A") for q in POOL)),
        sections=(Section(id="drawn", question_ids=POOL, draw_count=2),),
    )
    await services.given_exam(exam)
    attempts: list[Attempt] = []
    # Each draws 2 of 6: sit until some drew p0 and some did not.
    while len(attempts) < 60 and not 2 <= _drew_p0(attempts) <= len(attempts) - 2:
        candidate = Actor(user_id=f"c{len(attempts)}", role=Role.CANDIDATE)
        attempt = await services.started(exam, candidate)
        for qid in attempt.given_questions() or ():
            await services.answer(attempt, qid, "B", actor=candidate)
        await services.submit_attempt(query(attempt, candidate))
        attempts.append(attempt)
    drew = {a.id for a in attempts if "p0" in (a.given_questions() or ())}
    assert 2 <= len(drew) <= len(attempts) - 2
    regrade = RegradeQuestion(
        services.exams, services.regrades, InMemoryFinalAttemptsToRescore(services.attempts),
        services.transaction, services.clock,
    )  # fmt: skip
    fixed = Regrade(question_id="p0", correct_keys=frozenset({"B"}))
    command = RegradeCommand(actor=ADMIN, exam_id=exam.id, regrade=fixed, reason="key")
    assert await regrade(command) == len(drew)
    for attempt in attempts:
        stored = await services.attempts.get(attempt.id)
        assert stored is not None
        assert stored.result is not None
        events = await services.attempts.events(attempt.id)
        rescored = [e for e in events if e.kind is EventKind.ATTEMPT_RESCORED]
        expected = 1.0 if attempt.id in drew else 0.0
        assert (stored.result.score, stored.result.max_score) == (expected, 2.0)
        assert len(rescored) == (attempt.id in drew)


def _drew_p0(attempts: list[Attempt]) -> int:
    return sum("p0" in (a.given_questions() or ()) for a in attempts)
