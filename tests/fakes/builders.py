"""Builders for exams and actors, and every use case wired with the in-memory fakes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from application.adaptive_engines import AdaptiveEngines
from application.adaptive_progress import AdaptiveProgress
from application.attempt_loader import AttemptLoader
from application.candidate_priors import CandidatePriors
from application.deadline_changes import DeadlineChanges
from application.finalisation import AttemptFinaliser
from application.identity import Actor, Role
from application.policy import TimingPolicy
from application.ports import SweepReport
from application.use_cases.accommodations import ListAccommodations, SetAccommodation
from application.use_cases.admin_stats import GetAdminStats
from application.use_cases.change_answer import AnswerCommand, ChangeAnswer
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.create_exam import CreateExam
from application.use_cases.read_attempt import (
    AttemptQuery,
    GetAttempt,
    GetRemainingTime,
    ListAttemptEvents,
    ListQuestions,
)
from application.use_cases.read_exams import GetExam, ListExams
from application.use_cases.start_attempt import StartAttempt, StartAttemptCommand
from application.use_cases.submit_attempt import SubmitAttempt
from application.use_cases.sweep import ExpireOverdueAttempts, SweepCommand
from application.use_cases.time_control import (
    ExtendTime,
    ExtendTimeCommand,
    PauseAttempt,
    PauseCommand,
    ResumeAttempt,
    ResumeCommand,
)
from application.use_cases.watch_attempt import WatchAttempt, WatchSettings
from application.views import AttemptView
from domain.attempt import Attempt
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters, Options, Question
from tests.fakes.accommodations import AccommodationStore, InMemoryAccommodationRepository
from tests.fakes.adaptive_state import InMemoryAdaptiveStateStore
from tests.fakes.attempts import AttemptStore, InMemoryAttempts, InMemoryCommittedAttempts
from tests.fakes.clock import FakeClock
from tests.fakes.deadline_index import InMemoryDeadlineIndex
from tests.fakes.exam_regrades import InMemoryExamRegrades
from tests.fakes.exams import ExamStore, InMemoryExamRepository
from tests.fakes.fast_paths import InMemoryAttemptStarts, InMemoryFinalWrites
from tests.fakes.hot_state import InMemoryHotStateStore
from tests.fakes.live_updates import FakeLiveUpdates
from tests.fakes.probes import FakeProbe
from tests.fakes.proficiencies import InMemoryProficiencies, ProficiencyStore
from tests.fakes.sweeper_log import InMemorySweeperLog
from tests.fakes.transaction import FakeTransaction

ADMIN = Actor(user_id="admin-1", role=Role.ADMIN)
ALICE = Actor(user_id="alice", role=Role.CANDIDATE)
BOB = Actor(user_id="bob", role=Role.CANDIDATE)
NETWORK_GRACE = timedelta(seconds=2)
# Real (event-loop) time between live ticks: short, so watch tests stay fast.
WATCH_TICK = timedelta(milliseconds=10)


def make_question(
    question_id: str = "q1",
    *,
    keys: Sequence[str] = ("A", "B", "C", "D"),
    correct_key: str = "A",
    points: float = 1.0,
    content_area: str | None = None,
    irt: IrtParameters | None = None,
) -> Question:
    return Question(
        id=question_id,
        stem=f"Stem of {question_id}?",
        options=Options.of(keys, (f"option {key}" for key in keys)),
        correct_key=correct_key,
        points=points,
        content_area=content_area,
        irt=irt,
    )


def make_questions(count: int = 3, *, irt: bool = False) -> tuple[Question, ...]:
    return tuple(
        make_question(f"q{n}", irt=IrtParameters(a=1.0, b=(n - count / 2) / count) if irt else None)
        for n in range(1, count + 1)
    )


def make_exam(
    *,
    exam_id: UUID | None = None,
    title: str = "Algebra I",
    mode: ExamMode = ExamMode.FIXED,
    duration: timedelta = timedelta(minutes=30),
    questions: tuple[Question, ...] | None = None,
    grace: timedelta = timedelta(seconds=30),
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    max_attempts: int = 1,
    adaptive: AdaptiveRules | None = None,
) -> Exam:
    return Exam(
        id=exam_id or uuid4(),
        title=title,
        mode=mode,
        duration=duration,
        questions=questions if questions is not None else make_questions(),
        grace=grace,
        opens_at=opens_at,
        closes_at=closes_at,
        max_attempts=max_attempts,
        adaptive=adaptive,
    )


def make_adaptive_exam(*, items: int = 5, max_items: int = 3) -> Exam:
    return make_exam(
        mode=ExamMode.ADAPTIVE,
        questions=make_questions(items, irt=True),
        adaptive=AdaptiveRules(max_items=max_items),
    )


@dataclass
class Services:
    """The fakes and every use case built on them, sharing one session (transaction)."""

    clock: FakeClock
    policy: TimingPolicy
    transaction: FakeTransaction
    exams: InMemoryExamRepository
    attempts: InMemoryAttempts
    accommodations: InMemoryAccommodationRepository
    hot_state: InMemoryHotStateStore
    deadline_index: InMemoryDeadlineIndex
    live_updates: FakeLiveUpdates
    sweeper_log: InMemorySweeperLog
    adaptive_states: InMemoryAdaptiveStateStore  # the Redis-like engine states
    adaptive_progress: AdaptiveProgress  # this "process's": StartAttempt caches through it
    probes: list[FakeProbe]
    loader: AttemptLoader
    finaliser: AttemptFinaliser
    deadline_changes: DeadlineChanges
    create_exam: CreateExam
    list_exams: ListExams
    get_exam: GetExam
    start_attempt: StartAttempt
    get_attempt: GetAttempt
    get_remaining_time: GetRemainingTime
    list_questions: ListQuestions
    change_answer: ChangeAnswer
    submit_attempt: SubmitAttempt
    list_attempt_events: ListAttemptEvents
    check_readiness: CheckReadiness
    extend_time: ExtendTime
    pause_attempt: PauseAttempt
    resume_attempt: ResumeAttempt
    set_accommodation: SetAccommodation
    list_accommodations: ListAccommodations
    expire_overdue: ExpireOverdueAttempts
    get_admin_stats: GetAdminStats
    watch_attempt: WatchAttempt
    journal: list[str] = field(default_factory=list)
    regrades: InMemoryExamRegrades = field(default_factory=InMemoryExamRegrades)
    proficiencies: InMemoryProficiencies | None = None

    async def given_exam(self, exam: Exam | None = None) -> Exam:
        """Store an exam (committed) and return it."""
        exam = exam or make_exam()
        await self.exams.add(exam)
        await self.transaction.commit()
        return exam

    async def started(self, exam: Exam, actor: Actor = ALICE) -> Attempt:
        return (await self.start_attempt(StartAttemptCommand(actor=actor, exam_id=exam.id))).attempt

    async def answer(
        self,
        attempt: Attempt,
        question_id: str,
        option: str | None,
        *,
        actor: Actor = ALICE,
        expected_version: int | None = None,
    ) -> int:
        command = AnswerCommand(
            actor=actor,
            attempt_id=attempt.id,
            question_id=question_id,
            response=option,
            expected_version=expected_version,
        )
        return (await self.change_answer(command)).version

    async def extend(
        self,
        attempt: Attempt,
        seconds: float = 600,
        *,
        reason: str = "scanner broke",
        actor: Actor = ADMIN,
    ) -> AttemptView:
        command = ExtendTimeCommand(
            actor=actor, attempt_id=attempt.id, seconds=seconds, reason=reason
        )
        return await self.extend_time(command)

    async def pause(
        self, attempt: Attempt, *, reason: str = "fire alarm", actor: Actor = ADMIN
    ) -> AttemptView:
        return await self.pause_attempt(
            PauseCommand(actor=actor, attempt_id=attempt.id, reason=reason)
        )

    async def resume(self, attempt: Attempt, *, actor: Actor = ADMIN) -> AttemptView:
        return await self.resume_attempt(ResumeCommand(actor=actor, attempt_id=attempt.id))

    async def sweep(self, **options: object) -> SweepReport:
        """One sweeper pass; `options` are SweepCommand fields."""
        return await self.expire_overdue(SweepCommand(**options))  # type: ignore[arg-type]

    async def admin_change(
        self,
        attempt_id: UUID,
        change: Callable[[Attempt], object],
        *,
        refresh_hot_state: bool = True,
    ) -> Attempt:
        """Apply an admin change (pause, extend, ...) as its use case would: locked, committed.

        With `refresh_hot_state` False the hot copy is left stale, as after a lost write.
        """
        attempt = await self.attempts.get_for_update(attempt_id)
        assert attempt is not None
        change(attempt)
        await self.attempts.update(attempt)
        await self.transaction.commit()
        if refresh_hot_state:
            await self.hot_state.put(attempt)
        return attempt

    def other_session(self) -> Services:
        """Another request (or process): its own transaction over the same stores, hot state,
        deadline index, live updates, sweeper log and clock."""
        return wire(
            clock=self.clock,
            network_grace=self.policy.network_grace,
            exam_store=self.exams.store,
            attempt_store=self.attempts.store,
            accommodation_store=self.accommodations.store,
            hot_state=self.hot_state,
            deadline_index=self.deadline_index,
            live_updates=self.live_updates,
            sweeper_log=self.sweeper_log,
            adaptive_states=self.adaptive_states,
            proficiency_store=None if self.proficiencies is None else self.proficiencies.store,
        )

    async def count_committed_attempts(self, exam: Exam, actor: Actor = ALICE) -> int:
        other_session = InMemoryAttempts(FakeTransaction(), self.attempts.store)
        return await other_session.count_for_candidate(exam.id, actor.user_id)

    async def stored(self, attempt_id: UUID) -> Attempt:
        """The committed row, as another session would read it."""
        other_session = InMemoryAttempts(FakeTransaction(), self.attempts.store)
        attempt = await other_session.get(attempt_id)
        if attempt is None:
            raise LookupError(f"attempt {attempt_id} is not committed")
        return attempt


def query(attempt: Attempt, actor: Actor = ALICE) -> AttemptQuery:
    return AttemptQuery(actor=actor, attempt_id=attempt.id)


def wire(
    *,
    clock: FakeClock | None = None,
    network_grace: timedelta = NETWORK_GRACE,
    probes: Sequence[FakeProbe] = (),
    exam_store: ExamStore | None = None,
    attempt_store: AttemptStore | None = None,
    accommodation_store: AccommodationStore | None = None,
    hot_state: InMemoryHotStateStore | None = None,
    deadline_index: InMemoryDeadlineIndex | None = None,
    live_updates: FakeLiveUpdates | None = None,
    sweeper_log: InMemorySweeperLog | None = None,
    adaptive_states: InMemoryAdaptiveStateStore | None = None,
    watch: WatchSettings | None = None,
    proficiency_store: ProficiencyStore | None = None,
) -> Services:
    """Every use case over fresh fakes; pass stores and the Redis-like fakes to share them."""
    journal: list[str] = hot_state.journal if hot_state is not None else []
    clock = clock or FakeClock()
    policy = TimingPolicy(network_grace=network_grace)
    transaction = FakeTransaction(journal)
    exams = InMemoryExamRepository(transaction, exam_store)
    attempts = InMemoryAttempts(transaction, attempt_store)
    accommodations = InMemoryAccommodationRepository(transaction, accommodation_store)
    hot_state = hot_state or InMemoryHotStateStore(journal)
    deadline_index = deadline_index or InMemoryDeadlineIndex()
    live_updates = live_updates or FakeLiveUpdates()
    sweeper_log = sweeper_log or InMemorySweeperLog()
    regrades = InMemoryExamRegrades()
    proficiencies = InMemoryProficiencies(transaction, proficiency_store)
    loader = AttemptLoader(
        attempts, exams, hot_state, regrades, InMemoryCommittedAttempts(attempts.store)
    )
    engines = AdaptiveEngines()
    adaptive_states = (
        adaptive_states if adaptive_states is not None else InMemoryAdaptiveStateStore()
    )
    priors = CandidatePriors(proficiencies)
    progress = AdaptiveProgress(loader, adaptive_states, engines, priors)
    finaliser = AttemptFinaliser(
        attempts,
        attempts,
        loader,
        hot_state,
        deadline_index,
        live_updates,
        transaction,
        policy,
        engines,  # adaptive use cases: see tests/fakes/adaptive.py
        proficiencies,
        priors,
        InMemoryFinalWrites(attempts, regrades, transaction),
    )
    changes = DeadlineChanges(
        attempts, finaliser, hot_state, deadline_index, live_updates, transaction, clock, policy
    )
    readers = (loader, finaliser, clock)
    answers = (loader, attempts, finaliser, transaction, clock, policy)
    probe_list = list(probes) or [FakeProbe("postgres"), FakeProbe("redis")]
    return Services(
        regrades=regrades,
        proficiencies=proficiencies,
        clock=clock,
        policy=policy,
        transaction=transaction,
        exams=exams,
        attempts=attempts,
        accommodations=accommodations,
        hot_state=hot_state,
        deadline_index=deadline_index,
        live_updates=live_updates,
        sweeper_log=sweeper_log,
        adaptive_states=adaptive_states,
        adaptive_progress=progress,
        probes=probe_list,
        loader=loader,
        finaliser=finaliser,
        deadline_changes=changes,
        create_exam=CreateExam(exams, transaction),
        list_exams=ListExams(exams),
        get_exam=GetExam(exams),
        start_attempt=StartAttempt(
            exams,
            attempts,
            attempts,
            InMemoryAttemptStarts(attempts, accommodations, transaction),
            hot_state,
            finaliser,
            changes,
            progress,
            transaction,
            clock,
        ),
        get_attempt=GetAttempt(*readers),
        get_remaining_time=GetRemainingTime(*readers),
        list_questions=ListQuestions(loader),
        change_answer=ChangeAnswer(*answers),
        submit_attempt=SubmitAttempt(finaliser, clock),
        list_attempt_events=ListAttemptEvents(loader, attempts),
        check_readiness=CheckReadiness(probe_list),
        extend_time=ExtendTime(changes),
        pause_attempt=PauseAttempt(changes),
        resume_attempt=ResumeAttempt(changes),
        set_accommodation=SetAccommodation(exams, accommodations, attempts, changes, transaction),
        list_accommodations=ListAccommodations(exams, accommodations),
        expire_overdue=ExpireOverdueAttempts(
            attempts, attempts, deadline_index, finaliser, transaction, clock, policy, sweeper_log
        ),
        get_admin_stats=GetAdminStats(attempts, hot_state, deadline_index, sweeper_log),
        watch_attempt=WatchAttempt(
            loader,
            finaliser,
            live_updates,
            transaction,
            clock,
            watch or WatchSettings(heartbeat=WATCH_TICK),
        ),
        journal=journal,
    )
