from __future__ import annotations

from uuid import UUID

import pytest

from application.errors import AccessDenied
from domain.adaptive import AdaptiveState
from domain.adaptive.exam_engine import replay_responses
from domain.attempt import Attempt
from domain.errors import AttemptPaused, TimeIsUp, WrongExamMode
from domain.exam import Exam
from domain.result import AttemptStatus
from tests.fakes.adaptive import AdaptiveServices
from tests.fakes.builders import ADMIN, BOB, Services
from tests.unit.application.adaptive import (
    DEADLINE,
    GRACE,
    MAX_ITEMS,
    SEC,
    answer_items,
    replayed_ability,
)


async def test_the_first_item_is_served_from_the_state_cached_at_the_start(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    version, cached = cat.store.entries[adaptive_attempt.id]
    assert version == adaptive_attempt.version
    engine = cat.engines.engine_for(adaptive_exam)
    assert cached == replay_responses(engine, adaptive_attempt.id, ())

    async def no_rebuild(attempt_id: UUID) -> Attempt:
        raise AssertionError("the state was rebuilt from PostgreSQL")

    services.loader.durable = no_rebuild  # type: ignore[method-assign]
    first = await cat.next(adaptive_attempt)
    assert (first.done, first.position, first.result) == (False, 1, None)
    assert first.item is not None
    assert first.item in adaptive_exam.questions
    again = await cat.next(adaptive_attempt)
    assert again.item == first.item
    assert cat.store.puts == 1  # only the start's


async def test_a_start_whose_state_never_reached_redis_is_rebuilt_at_the_first_item(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam
) -> None:
    cat.store.down = True
    attempt = await services.started(adaptive_exam)
    cat.store.down = False
    first = await cat.next(attempt)
    assert first.position == 1
    assert cat.store.entries[attempt.id][0] == attempt.version


async def test_the_same_item_whether_the_state_is_cached_rebuilt_or_redis_down(
    cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AB")
    cached = await cat.next(adaptive_attempt)
    assert cached.position == 3
    cat.store.entries.clear()  # Redis lost everything
    rebuilt = await cat.next(adaptive_attempt)
    cat.store.down = True
    without_redis = await cat.next(adaptive_attempt)
    assert cached.item == rebuilt.item == without_redis.item
    assert rebuilt.position == without_redis.position == 3


@pytest.mark.parametrize(
    "misfit",
    [
        AdaptiveState(theta=0.0, se=1.0, attempt_seed=1),  # another attempt's state
        AdaptiveState(administered=(10**6,), responses=(True,), theta=0.0, se=1.0),  # no such item
    ],
)
async def test_a_cached_state_that_does_not_fit_the_attempt_is_rebuilt(
    cat: AdaptiveServices, adaptive_attempt: Attempt, misfit: AdaptiveState
) -> None:
    expected = await cat.next(adaptive_attempt)
    version, _ = cat.store.entries[adaptive_attempt.id]
    cat.store.entries[adaptive_attempt.id] = (version, misfit)
    assert (await cat.next(adaptive_attempt)).item == expected.item


async def test_only_the_owner_gets_items(cat: AdaptiveServices, adaptive_attempt: Attempt) -> None:
    for actor in (BOB, ADMIN):
        with pytest.raises(AccessDenied):
            await cat.next(adaptive_attempt, actor)


async def test_a_fixed_exam_has_no_next_item(cat: AdaptiveServices, attempt: Attempt) -> None:
    with pytest.raises(WrongExamMode):
        await cat.next(attempt)


async def test_after_the_last_item_the_attempt_is_done(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "ABAA"[:MAX_ITEMS])
    done = await cat.next(adaptive_attempt)
    assert done.done
    assert done.result is not None
    assert done.result.status is AttemptStatus.SUBMITTED
    ability = await replayed_ability(services, adaptive_exam, adaptive_attempt)
    assert (done.result.theta, done.result.se) == (ability.theta, ability.se)
    assert (done.result.answered, done.result.max_score) == (MAX_ITEMS, MAX_ITEMS)


async def test_a_stopped_test_not_yet_submitted_is_submitted_on_the_next_read(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AAA")
    last = await cat.current_item(adaptive_attempt)
    with pytest.MonkeyPatch.context() as patch:  # e.g. a pause came in after the commit
        patch.setattr(services.finaliser, "submit", _refuse)
        recorded = await cat.respond(adaptive_attempt, last, "A")
    assert (recorded.done, recorded.result) == (True, None)
    done = await cat.next(adaptive_attempt)
    assert done.done
    assert done.result is not None
    assert done.result.status is AttemptStatus.SUBMITTED
    assert done.result.theta is not None


async def _refuse(*_: object) -> Attempt:
    raise AttemptPaused()


async def test_an_overdue_attempt_is_expired_with_its_ability(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AB")
    services.clock.set(DEADLINE + GRACE)
    with pytest.raises(TimeIsUp) as raised:
        await cat.next(adaptive_attempt)
    result = raised.value.result
    assert result is not None
    assert result.status is AttemptStatus.EXPIRED
    ability = await replayed_ability(services, adaptive_exam, adaptive_attempt)
    assert (result.theta, result.se) == (ability.theta, ability.se)
    assert (result.answered, result.max_score) == (2, 2)


async def test_no_item_once_the_answers_close(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    services.clock.set(DEADLINE + 2 * SEC)  # past the network grace, within the exam's grace
    with pytest.raises(TimeIsUp) as raised:
        await cat.next(adaptive_attempt)
    assert raised.value.result is None
    assert (await services.stored(adaptive_attempt.id)).status is AttemptStatus.IN_PROGRESS


async def test_an_extension_the_hot_copy_missed_still_serves_items(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    await services.admin_change(
        adaptive_attempt.id,
        lambda a: a.extend(10 * 60 * SEC, reason="scanner", now=DEADLINE - SEC),
        refresh_hot_state=False,
    )
    services.clock.set(DEADLINE + 5 * SEC)
    assert not (await cat.next(adaptive_attempt)).done
