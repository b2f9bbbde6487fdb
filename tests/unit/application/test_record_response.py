from __future__ import annotations

import pytest

from application.errors import AccessDenied, AttemptNotFound
from domain.attempt import Attempt
from domain.errors import (
    AttemptPaused,
    InvalidOption,
    ItemNotAdministered,
    TimeIsUp,
    VersionConflict,
    WrongExamMode,
)
from domain.events import EventKind
from domain.exam import Exam
from domain.responses import Response
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


async def test_a_response_is_committed_then_cached(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    recorded = await cat.respond(adaptive_attempt, item, "A")
    assert (recorded.items_completed, recorded.done, recorded.version) == (1, False, 1)
    assert recorded.result is None
    stored = await services.stored(adaptive_attempt.id)
    assert stored.responses == (Response(item_id=item, option="A", correct=True),)
    assert stored.answers == {item: "A"}
    assert stored.version == 1
    events = await services.attempts.events(adaptive_attempt.id)
    assert events[-1].kind is EventKind.RESPONSE_RECORDED
    assert events[-1].data == {"item_id": item, "option": "A", "correct": True}
    version, cached = cat.store.entries[adaptive_attempt.id]
    assert version == 1
    assert cached.items_administered == 1
    assert await cat.current_item(adaptive_attempt) != item


async def test_the_ability_is_the_engines_after_each_response(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    recorded = await cat.respond(adaptive_attempt, item, "B")
    assert recorded.ability == await replayed_ability(services, adaptive_exam, adaptive_attempt)
    assert recorded.ability.theta < 0  # a wrong first answer pulls the estimate down


async def test_only_the_item_administered_now_is_accepted(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    other = next(q.id for q in adaptive_exam.questions if q.id != item)
    for wrong in (other, "no-such-item"):
        with pytest.raises(ItemNotAdministered):
            await cat.respond(adaptive_attempt, wrong, "A")
    assert (await services.stored(adaptive_attempt.id)).version == 0


async def test_a_second_response_to_the_same_item_is_refused(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    await cat.respond(adaptive_attempt, item, "A")
    with pytest.raises(ItemNotAdministered):
        await cat.respond(adaptive_attempt, item, "B")
    assert len((await services.stored(adaptive_attempt.id)).responses) == 1


async def test_a_stale_cached_state_cannot_duplicate_a_response_and_is_repaired(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    cat.store.down = True  # the response commits, but its state never reaches Redis
    await cat.respond(adaptive_attempt, item, "A")
    cat.store.down = False  # back, with the state from before the response
    assert await cat.current_item(adaptive_attempt) == item  # stale, until a write says so
    with pytest.raises(ItemNotAdministered):
        await cat.respond(adaptive_attempt, item, "A")  # PostgreSQL refused, state rebuilt
    assert len((await services.stored(adaptive_attempt.id)).responses) == 1
    assert await cat.current_item(adaptive_attempt) != item


async def test_concurrent_responses_to_one_item_append_one(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    other = services.other_session()

    async def the_other_request_first() -> None:
        from tests.fakes.adaptive import wire_adaptive

        await wire_adaptive(other, cat.store).respond(adaptive_attempt, item, "B")

    services.attempts.interleave = the_other_request_first
    with pytest.raises(ItemNotAdministered):
        await cat.respond(adaptive_attempt, item, "A")
    stored = await services.stored(adaptive_attempt.id)
    assert stored.responses == (Response(item_id=item, option="B", correct=False),)


async def test_a_stale_expected_version_is_a_conflict(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "A")
    item = await cat.current_item(adaptive_attempt)
    with pytest.raises(VersionConflict) as raised:
        await cat.respond(adaptive_attempt, item, "A", expected_version=0)
    assert raised.value.current_version == 1
    recorded = await cat.respond(adaptive_attempt, item, "A", expected_version=1)
    assert recorded.version == 2


async def test_an_option_the_item_does_not_have(
    cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    with pytest.raises(InvalidOption):
        await cat.respond(adaptive_attempt, item, "Z")


async def test_only_the_owner_responds(
    cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    for actor in (BOB, ADMIN):
        with pytest.raises(AccessDenied):
            await cat.respond(adaptive_attempt, item, "A", actor=actor)


async def test_a_fixed_attempt_takes_answers_not_responses(
    cat: AdaptiveServices, attempt: Attempt
) -> None:
    with pytest.raises(WrongExamMode):
        await cat.respond(attempt, "q1", "A")


async def test_the_last_response_submits_with_the_ability(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "ABA")
    last = await cat.current_item(adaptive_attempt)
    recorded = await cat.respond(adaptive_attempt, last, "A")
    assert (recorded.items_completed, recorded.done) == (MAX_ITEMS, True)
    result = recorded.result
    assert result is not None
    assert result.status is AttemptStatus.SUBMITTED
    ability = await replayed_ability(services, adaptive_exam, adaptive_attempt)
    assert (
        (result.theta, result.se)
        == (ability.theta, ability.se)
        == (
            recorded.ability.theta,
            recorded.ability.se,
        )
    )
    assert (result.score, result.max_score, result.correct) == (3, 4, 3)
    stored = await services.stored(adaptive_attempt.id)
    assert (stored.status, stored.version) == (AttemptStatus.SUBMITTED, recorded.version)
    assert adaptive_attempt.id not in cat.store.entries


async def test_a_response_after_the_answers_close_is_refused(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    services.clock.set(DEADLINE + SEC)  # within the network grace: accepted, marked late
    await cat.respond(adaptive_attempt, item, "A")
    assert (await services.attempts.events(adaptive_attempt.id))[-1].data["late"] is True
    services.clock.set(DEADLINE + 2 * SEC)
    with pytest.raises(TimeIsUp) as raised:
        await cat.respond(adaptive_attempt, "q1", "A")
    assert raised.value.result is None


async def test_a_response_to_an_overdue_attempt_expires_it(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    item = await cat.current_item(adaptive_attempt)
    services.clock.set(DEADLINE + GRACE)
    with pytest.raises(TimeIsUp) as raised:
        await cat.respond(adaptive_attempt, item, "A")
    result = raised.value.result
    assert result is not None
    assert result.status is AttemptStatus.EXPIRED
    assert result.theta is not None


async def test_responses_keep_working_without_redis(
    cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    cat.store.down = True
    items = await answer_items(cat, adaptive_attempt, "ABA")
    assert len(set(items)) == 3
    last = await cat.current_item(adaptive_attempt)
    assert (await cat.respond(adaptive_attempt, last, "A")).done


async def test_a_response_is_judged_on_this_processs_own_copy_without_reading_redis(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    first = await cat.current_item(adaptive_attempt)
    await cat.respond(adaptive_attempt, first, "A")
    second = await cat.current_item(adaptive_attempt)
    reads = cat.store.reads
    recorded = await cat.respond(adaptive_attempt, second, "A")
    assert recorded.items_completed == 2
    assert cat.store.reads == reads
    assert [r.item_id for r in (await services.stored(adaptive_attempt.id)).responses] == [
        first,
        second,
    ]


async def test_a_copy_another_process_has_overtaken_is_replaced_from_postgresql(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    from tests.fakes.adaptive import wire_adaptive

    other_process = wire_adaptive(services.other_session(), cat.store)
    first = await cat.current_item(adaptive_attempt)
    await cat.respond(adaptive_attempt, first, "A")  # this process keeps a copy at 1 response
    second = await other_process.current_item(adaptive_attempt)
    await other_process.respond(adaptive_attempt, second, "B")
    # A repeat of the response the other process took passes this process's outdated
    # copy, but PostgreSQL's response count refuses it and the replay says why.
    with pytest.raises(ItemNotAdministered):
        await cat.respond(adaptive_attempt, second, "A")
    third = await cat.current_item(adaptive_attempt)
    assert third not in (first, second)
    recorded = await cat.respond(adaptive_attempt, third, "A")
    assert recorded.items_completed == 3
    stored = await services.stored(adaptive_attempt.id)
    assert [(r.item_id, r.option) for r in stored.responses] == [
        (first, "A"),
        (second, "B"),
        (third, "A"),
    ]


async def test_an_answer_to_an_item_this_processs_copy_has_not_reached_is_rejudged(
    services: Services, cat: AdaptiveServices, adaptive_attempt: Attempt
) -> None:
    from tests.fakes.adaptive import wire_adaptive

    other_process = wire_adaptive(services.other_session(), cat.store)
    first = await cat.current_item(adaptive_attempt)
    await cat.respond(adaptive_attempt, first, "A")
    second = await other_process.current_item(adaptive_attempt)
    await other_process.respond(adaptive_attempt, second, "A")
    third = await other_process.current_item(adaptive_attempt)
    # This process's copy would administer `second`: the answer to `third` is re-judged.
    recorded = await cat.respond(adaptive_attempt, third, "A")
    assert recorded.items_completed == 3


@pytest.mark.parametrize("refusal", [AttemptPaused(), AttemptNotFound(), AccessDenied()])
async def test_after_the_committed_last_response_only_a_pause_defers_the_submit(
    services: Services,
    cat: AdaptiveServices,
    adaptive_attempt: Attempt,
    monkeypatch: pytest.MonkeyPatch,
    refusal: Exception,
) -> None:
    await answer_items(cat, adaptive_attempt, "ABA")
    last = await cat.current_item(adaptive_attempt)

    async def refused_submit(*_: object) -> Attempt:
        raise refusal

    monkeypatch.setattr(services.finaliser, "submit", refused_submit)
    if isinstance(refusal, AttemptPaused):
        recorded = await cat.respond(adaptive_attempt, last, "A")
        assert (recorded.done, recorded.result) == (True, None)
    else:
        # Not an exam rule: nothing the next next-item request would settle, so it is raised.
        with pytest.raises(type(refusal)):
            await cat.respond(adaptive_attempt, last, "A")
    stored = await services.stored(adaptive_attempt.id)
    assert len(stored.responses) == MAX_ITEMS  # the response itself is committed either way
