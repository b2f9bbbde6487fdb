"""Every way an adaptive attempt becomes final leaves the candidate's proficiency, in the
same commit; a fixed form leaves none; a candidate reads only their own."""

from __future__ import annotations

import pytest

from application.errors import AccessDenied
from application.identity import Actor, Role
from application.use_cases.read_proficiency import GetProficiency
from domain.attempt import Attempt
from domain.exam import Exam
from tests.fakes.adaptive import AdaptiveServices
from tests.fakes.builders import ALICE, Services, query
from tests.unit.application.adaptive import DEADLINE, GRACE, MIN, answer_items

ADMIN = Actor(user_id="root", role=Role.ADMIN)
BOB = Actor(user_id="bob", role=Role.CANDIDATE)


def _read(services: Services) -> GetProficiency:
    assert services.proficiencies is not None
    return GetProficiency(services.proficiencies)


async def test_a_submit_records_theta_and_se_of_the_result(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AB")
    services.clock.advance(5 * MIN)
    result = await services.submit_attempt(query(adaptive_attempt))
    [estimate] = await _read(services.other_session())(ALICE, ALICE.user_id)
    assert (estimate.exam_id, estimate.attempt_id) == (adaptive_exam.id, adaptive_attempt.id)
    assert (estimate.theta, estimate.se) == (result.theta, result.se)
    assert estimate.updated_at == result.finished_at


async def test_the_sweeper_records_the_expired_attempts_proficiency(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AAB")
    services.clock.set(DEADLINE + GRACE)
    await services.sweep()
    stored = await services.stored(adaptive_attempt.id)
    assert stored.result is not None
    [estimate] = await _read(services.other_session())(ADMIN, ALICE.user_id)
    assert (estimate.theta, estimate.se) == (stored.result.theta, stored.result.se)
    assert estimate.updated_at == DEADLINE


async def test_a_refused_commit_records_nothing(
    services: Services, adaptive_attempt: Attempt
) -> None:
    services.transaction.fail_next_commit = RuntimeError("the database refused")
    with pytest.raises(RuntimeError):
        await services.submit_attempt(query(adaptive_attempt))
    assert await _read(services.other_session())(ALICE, ALICE.user_id) == []


async def test_a_fixed_form_leaves_no_proficiency(services: Services, attempt: Attempt) -> None:
    await services.submit_attempt(query(attempt))
    assert await _read(services)(ALICE, ALICE.user_id) == []


async def test_a_candidate_reads_only_their_own(services: Services) -> None:
    with pytest.raises(AccessDenied):
        await _read(services)(BOB, ALICE.user_id)
    assert await _read(services)(BOB, BOB.user_id) == []
