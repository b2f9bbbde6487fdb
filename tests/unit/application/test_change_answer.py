from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied, StorageUnavailable
from application.identity import Actor
from application.use_cases.change_answer import AnswerCommand
from domain.attempt import Attempt
from domain.errors import (
    AttemptAlreadySubmitted,
    AttemptPaused,
    InvalidOption,
    TimeIsUp,
    UnknownQuestion,
    VersionConflict,
    WrongExamMode,
)
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, ALICE, BOB, Services, make_adaptive_exam, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN


def command(attempt: Attempt, question_id: str = "q1", option: str | None = "A") -> AnswerCommand:
    return AnswerCommand(
        actor=ALICE, attempt_id=attempt.id, question_id=question_id, response=option
    )


class TestSaveChangeClear:
    async def test_a_save_is_committed_and_reported(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.advance(5 * MIN)
        saved = await services.change_answer(command(attempt, "q2", "B"))
        assert (saved.version, saved.saved_at, saved.remaining, saved.late) == (
            1,
            T0 + 5 * MIN,
            25 * MIN,
            False,
        )
        stored = await services.stored(attempt.id)
        assert (stored.answers, stored.version) == ({"q2": "B"}, 1)
        events = await services.attempts.events(attempt.id)
        assert (events[-1].kind, events[-1].version) == (EventKind.ANSWER_SAVED, 1)

    async def test_a_change_replaces_the_answer(self, services: Services, attempt: Attempt) -> None:
        await services.answer(attempt, "q1", "B")
        assert await services.answer(attempt, "q1", "C") == 2
        assert (await services.stored(attempt.id)).answers == {"q1": "C"}

    async def test_a_clear_removes_the_answer(self, services: Services, attempt: Attempt) -> None:
        await services.answer(attempt, "q1", "B")
        assert await services.answer(attempt, "q1", None) == 2
        assert (await services.stored(attempt.id)).answers == {}
        events = await services.attempts.events(attempt.id)
        assert (events[-1].kind, events[-1].data) == (
            EventKind.ANSWER_CLEARED,
            {"question_id": "q1"},
        )

    async def test_a_save_is_one_durable_write_and_leaves_hot_state_alone(
        self, services: Services, attempt: Attempt
    ) -> None:
        journal_before = list(services.journal)
        await services.answer(attempt, "q1", "B")
        # No Redis write on the hot path: hot state holds the timer, not the answer sheet.
        assert [entry for entry in services.journal if entry not in journal_before] == ["end_reads"]
        assert (await services.stored(attempt.id)).answers == {"q1": "B"}
        hot = services.hot_state.peek(attempt.id)
        assert hot is not None
        assert hot.version == 0
        assert not hasattr(hot, "answers")

    async def test_a_refused_write_is_not_acknowledged(
        self, services: Services, attempt: Attempt
    ) -> None:
        async def database_gone() -> None:
            raise StorageUnavailable("database gone")

        services.attempts.interleave = database_gone
        with pytest.raises(StorageUnavailable):
            await services.answer(attempt, "q1", "B")
        assert (await services.stored(attempt.id)).version == 0

    async def test_works_with_hot_state_down(self, services: Services, attempt: Attempt) -> None:
        services.hot_state.down = True
        assert await services.answer(attempt, "q1", "B") == 1
        assert await services.answer(attempt, "q2", "B") == 2
        assert (await services.stored(attempt.id)).answers == {"q1": "B", "q2": "B"}


class TestVersions:
    async def test_the_current_expected_version_is_accepted(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "B")
        assert await services.answer(attempt, "q2", "B", expected_version=1) == 2

    async def test_a_stale_expected_version_conflicts(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "B")
        await services.answer(attempt, "q1", "C")
        with pytest.raises(VersionConflict) as raised:
            await services.answer(attempt, "q2", "B", expected_version=1)
        assert raised.value.current_version == 2
        assert (await services.stored(attempt.id)).answers == {"q1": "C"}

    async def test_a_stale_version_is_answered_from_the_refused_write_alone(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "B")
        journal_before = list(services.journal)
        with pytest.raises(VersionConflict) as raised:
            await services.answer(attempt, "q2", "B", expected_version=0)
        assert raised.value.current_version == 1
        # No reload from PostgreSQL and no hot-state refresh: the write said it all.
        assert services.journal[len(journal_before) :] == ["end_reads"]

    async def test_a_concurrent_write_is_caught_by_the_store(
        self, services: Services, attempt: Attempt
    ) -> None:
        async def other_tab_saves() -> None:
            await services.other_session().answer(attempt, "q3", "D")

        services.attempts.interleave = other_tab_saves
        with pytest.raises(VersionConflict) as raised:
            await services.answer(attempt, "q1", "B", expected_version=0)
        assert raised.value.current_version == 1
        assert (await services.stored(attempt.id)).answers == {"q3": "D"}

    async def test_without_expected_version_the_last_writer_wins(
        self, services: Services, attempt: Attempt
    ) -> None:
        async def other_tab_saves() -> None:
            await services.other_session().answer(attempt, "q1", "D")

        services.attempts.interleave = other_tab_saves
        assert await services.answer(attempt, "q1", "B") == 2
        assert (await services.stored(attempt.id)).answers == {"q1": "B"}


class TestStaleHotState:
    async def test_a_lower_hot_version_is_reloaded_and_the_rule_rerun(
        self, services: Services, attempt: Attempt
    ) -> None:
        stale = services.hot_state.peek(attempt.id)
        await services.answer(attempt, "q1", "B")
        assert stale is not None
        services.hot_state.plant(stale)
        # PostgreSQL, not the hot copy, judges the expected version: no reload needed.
        assert await services.answer(attempt, "q2", "B", expected_version=1) == 2

    async def test_an_older_hot_deadline_is_reloaded_and_the_rule_rerun(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.admin_change(
            attempt.id,
            lambda stored: stored.extend(10 * MIN, reason="late start", now=T0),
            refresh_hot_state=False,
        )
        services.clock.set(DEADLINE + 5 * MIN)
        saved = await services.change_answer(command(attempt))
        assert (saved.version, saved.remaining, saved.late) == (2, 5 * MIN, False)
        hot = services.hot_state.peek(attempt.id)  # refreshed by the reload from PostgreSQL
        assert hot is not None
        assert (hot.version, hot.timer.deadline) == (1, DEADLINE + 10 * MIN)

    async def test_remaining_time_comes_from_postgres_not_a_stale_hot_copy(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.admin_change(
            attempt.id,
            lambda stored: stored.extend(10 * MIN, reason="late start", now=T0),
            refresh_hot_state=False,
        )
        services.clock.advance(5 * MIN)
        saved = await services.change_answer(command(attempt))
        assert (saved.version, saved.remaining) == (2, 35 * MIN)

    async def test_a_hot_copy_of_a_final_attempt_is_corrected(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.hot_state.down = True
        await services.submit_attempt(query(attempt))
        services.hot_state.down = False
        assert services.hot_state.peek(attempt.id) is not None
        with pytest.raises(AttemptAlreadySubmitted):
            await services.answer(attempt, "q1", "B")
        assert services.hot_state.peek(attempt.id) is None


class TestTime:
    async def test_an_answer_in_the_network_grace_is_late(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.set(DEADLINE + SEC)
        saved = await services.change_answer(command(attempt))
        assert (saved.late, saved.remaining) == (True, timedelta(0))
        events = await services.attempts.events(attempt.id)
        assert events[-1].data["late"] is True

    async def test_time_is_up_after_deadline_plus_network_grace(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.set(DEADLINE + 2 * SEC)
        with pytest.raises(TimeIsUp) as raised:
            await services.answer(attempt, "q1", "B")
        assert raised.value.result is None
        stored = await services.stored(attempt.id)
        assert (stored.status, stored.version) == (AttemptStatus.IN_PROGRESS, 0)

    async def test_an_overdue_attempt_is_expired_with_its_result(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "A")
        services.clock.set(DEADLINE + 30 * SEC)
        with pytest.raises(TimeIsUp) as raised:
            await services.answer(attempt, "q2", "A")
        result = raised.value.result
        assert result is not None
        assert (result.status, result.score, result.answered) == (AttemptStatus.EXPIRED, 1, 1)
        assert result.finished_at == DEADLINE
        stored = await services.stored(attempt.id)
        assert stored.status is AttemptStatus.EXPIRED
        assert stored.answers == {"q1": "A"}
        assert services.hot_state.peek(attempt.id) is None

    async def test_an_expired_attempt_answers_with_its_result(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.set(DEADLINE + 30 * SEC)
        await services.get_attempt(query(attempt))
        with pytest.raises(TimeIsUp) as raised:
            await services.answer(attempt, "q2", "A")
        assert raised.value.result is not None


class TestRefusals:
    async def test_a_submitted_attempt(self, services: Services, attempt: Attempt) -> None:
        await services.submit_attempt(query(attempt))
        with pytest.raises(AttemptAlreadySubmitted):
            await services.answer(attempt, "q1", "B")

    async def test_an_unknown_question(self, services: Services, attempt: Attempt) -> None:
        with pytest.raises(UnknownQuestion):
            await services.answer(attempt, "q99", "A")

    async def test_an_unknown_option(self, services: Services, attempt: Attempt) -> None:
        with pytest.raises(InvalidOption):
            await services.answer(attempt, "q1", "Z")
        assert (await services.stored(attempt.id)).version == 0

    @pytest.mark.parametrize("actor", [BOB, ADMIN])
    async def test_only_the_owner_answers(
        self, services: Services, attempt: Attempt, actor: Actor
    ) -> None:
        with pytest.raises(AccessDenied):
            await services.answer(attempt, "q1", "B", actor=actor)
        assert (await services.stored(attempt.id)).version == 0

    async def test_an_adaptive_attempt_takes_responses(self, services: Services) -> None:
        exam = await services.given_exam(make_adaptive_exam())
        attempt = await services.started(exam)
        with pytest.raises(WrongExamMode):
            await services.answer(attempt, "q1", "A")

    async def test_a_paused_attempt(self, services: Services, attempt: Attempt) -> None:
        await services.admin_change(attempt.id, lambda a: a.pause(reason="alarm", now=T0))
        with pytest.raises(AttemptPaused):
            await services.answer(attempt, "q1", "B")
