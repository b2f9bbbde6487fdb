from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import AccessDenied, ExamNotFound
from application.identity import Actor
from application.ports import AttemptUpdate, CandidateAccommodation, UpdateKind
from application.use_cases.accommodations import SetAccommodationCommand
from domain.accommodation import Accommodation
from domain.attempt import Attempt
from domain.events import EventKind
from domain.exam import Exam
from domain.result import AttemptStatus
from tests.fakes.accommodations import InMemoryAccommodationRepository
from tests.fakes.builders import ADMIN, ALICE, BOB, Services, make_exam, query
from tests.fakes.clock import T0
from tests.fakes.transaction import FakeTransaction

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN
GRACE = 30 * SEC
EXTRA = Accommodation(reason="dyslexia", time_multiplier=1.5, extra_time=5 * MIN)
EXTENDED = T0 + 45 * MIN + 5 * MIN  # 30 min × 1.5 + 5 min


async def grant(
    services: Services,
    exam: Exam,
    candidate: str = "alice",
    accommodation: Accommodation = EXTRA,
    actor: Actor = ADMIN,
) -> CandidateAccommodation:
    command = SetAccommodationCommand(
        actor=actor, exam_id=exam.id, candidate_id=candidate, accommodation=accommodation
    )
    return await services.set_accommodation(command)


async def committed(services: Services, exam: Exam) -> list[CandidateAccommodation]:
    other = InMemoryAccommodationRepository(FakeTransaction(), services.accommodations.store)
    return await other.list(exam.id)


class TestSetAccommodation:
    async def test_is_stored(self, services: Services, exam: Exam) -> None:
        granted = await grant(services, exam)
        assert granted == CandidateAccommodation(candidate_id="alice", accommodation=EXTRA)
        assert await committed(services, exam) == [granted]

    async def test_replaces_the_previous_one(self, services: Services, exam: Exam) -> None:
        await grant(services, exam)
        later = Accommodation(reason="broken arm", extra_time=10 * MIN)
        await grant(services, exam, accommodation=later)
        assert await committed(services, exam) == [
            CandidateAccommodation(candidate_id="alice", accommodation=later)
        ]

    async def test_applies_at_start_to_later_attempts(self, services: Services, exam: Exam) -> None:
        await grant(services, exam)
        attempt = await services.started(exam)
        assert attempt.timer.deadline == EXTENDED
        assert (await services.stored(attempt.id)).timer.deadline == EXTENDED
        assert services.deadline_index.entries[attempt.id] == EXTENDED + GRACE
        assert (await services.started(exam, BOB)).timer.deadline == DEADLINE

    async def test_applies_at_once_to_the_attempt_in_progress(
        self, services: Services, exam: Exam, attempt: Attempt
    ) -> None:
        services.clock.advance(10 * MIN)
        await grant(services, exam)
        stored = await services.stored(attempt.id)
        assert stored.timer.deadline == EXTENDED
        hot = services.hot_state.peek(attempt.id)
        assert hot is not None
        assert hot.timer.deadline == EXTENDED
        assert services.deadline_index.entries[attempt.id] == EXTENDED + GRACE
        assert services.live_updates.published == [
            AttemptUpdate(
                attempt_id=attempt.id, kind=UpdateKind.DEADLINE_CHANGED, reason="accommodated"
            )
        ]
        event = (await services.attempts.events(attempt.id))[-1]
        assert (event.kind, event.at) == (EventKind.ACCOMMODATED, T0 + 10 * MIN)
        remaining = await services.get_remaining_time(query(attempt))
        assert remaining.remaining == 40 * MIN

    async def test_leaves_other_candidates_alone(
        self, services: Services, exam: Exam, attempt: Attempt
    ) -> None:
        await grant(services, exam, "bob")
        assert (await services.stored(attempt.id)).timer.deadline == DEADLINE
        assert services.live_updates.published == []

    async def test_an_overdue_attempt_is_expired_and_the_accommodation_kept(
        self, services: Services, exam: Exam, attempt: Attempt
    ) -> None:
        services.clock.set(DEADLINE + GRACE)
        granted = await grant(services, exam)
        stored = await services.stored(attempt.id)
        assert stored.status is AttemptStatus.EXPIRED
        assert stored.timer.deadline == DEADLINE
        assert await committed(services, exam) == [granted]

    async def test_an_unknown_exam(self, services: Services) -> None:
        with pytest.raises(ExamNotFound):
            await grant(services, make_exam())
        assert services.accommodations.store.rows == {}

    async def test_only_an_admin_grants(self, services: Services, exam: Exam) -> None:
        with pytest.raises(AccessDenied):
            await grant(services, exam, actor=ALICE)
        assert await committed(services, exam) == []


class TestListAccommodations:
    async def test_lists_the_exams_accommodations_by_candidate(
        self, services: Services, exam: Exam
    ) -> None:
        other_exam = await services.given_exam()
        await grant(services, exam, "carol")
        await grant(services, exam, "bob")
        await grant(services, other_exam, "alice")
        listed = await services.list_accommodations(ADMIN, exam.id)
        assert [entry.candidate_id for entry in listed] == ["bob", "carol"]

    async def test_an_exam_without_any(self, services: Services, exam: Exam) -> None:
        assert await services.list_accommodations(ADMIN, exam.id) == []

    async def test_an_unknown_exam(self, services: Services) -> None:
        with pytest.raises(ExamNotFound):
            await services.list_accommodations(ADMIN, uuid4())

    async def test_only_an_admin_lists(self, services: Services, exam: Exam) -> None:
        with pytest.raises(AccessDenied):
            await services.list_accommodations(ALICE, exam.id)
