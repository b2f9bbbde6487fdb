"""The attempt aggregate: one candidate's timed run at one exam."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from fractions import Fraction
from uuid import UUID

from domain.errors import (
    AttemptAlreadyFinal,
    AttemptNotFinal,
    AttemptPaused,
    InvalidAccommodation,
    InvalidExtension,
    ScoreRefused,
    SectionNotActive,
    UnknownQuestion,
    VersionConflict,
)
from domain.events import AttemptEvent, EventKind
from domain.exam import Exam, Question
from domain.live_attempt import AnswerChange, LiveAttempt
from domain.questions import JsonValue
from domain.responses import Response, ResponseChange
from domain.result import AbilityEstimate, AttemptResult, AttemptStatus, adaptive_stop_reason
from domain.scores import AwardedScore
from domain.sections import SectionProgress
from domain.timer import MAX_EXTENSION, ZERO, Timer

__all__ = ["AnswerChange", "Attempt", "LiveAttempt"]


@dataclass(slots=True, kw_only=True, eq=False)
class Attempt(LiveAttempt):
    """A candidate's attempt as the durable store holds it. Every accepted change bumps
    `version` and records an event.

    A fixed-form attempt keeps an answer sheet; an adaptive one also keeps its responses
    in the order the items were administered (each is an answer too, for scoring).
    Events recorded since loading wait in `pending_events` for storage to append them
    in the same transaction as the change.
    """

    answers: dict[str, JsonValue] = field(default_factory=dict)
    responses: tuple[Response, ...] = ()
    # Questions the candidate marked to come back to (domain.flags): written on their own,
    # never by a change that bumps the version.
    flags: tuple[str, ...] = ()
    pending_events: list[AttemptEvent] = field(default_factory=list)
    # Points scorers gave essay and external answers, by question, after finalisation.
    awarded: dict[str, AwardedScore] = field(default_factory=dict)
    # The exam's sections as this attempt runs them (domain.sections); None for an exam
    # without sections, which runs as one free, untimed section of every question.
    sections: SectionProgress | None = None

    @classmethod
    def start(
        cls,
        *,
        attempt_id: UUID,
        exam: Exam,
        candidate_id: str,
        now: datetime,
        time_multiplier: float = 1.0,
        extra_time: timedelta = ZERO,
    ) -> Attempt:
        exam.ensure_open(now)
        timer = Timer(
            started_at=now,
            duration=exam.duration,
            time_multiplier=time_multiplier,
            extra_time=extra_time,
            closes_at=exam.closes_at,
            grace=exam.grace,
        )
        # Drawn and ordered here, once: stored with the new attempt, the same on every resume.
        sections = SectionProgress.begin(exam.sections, attempt_id, now) if exam.sections else None
        attempt = cls(
            id=attempt_id,
            exam_id=exam.id,
            candidate_id=candidate_id,
            mode=exam.mode,
            timer=timer,
            sections=sections,
        )
        attempt._record(EventKind.STARTED, now, {"deadline": timer.deadline.isoformat()})
        return attempt

    def due_at(self, network_grace: timedelta = ZERO) -> datetime | None:
        """The earlier of the attempt's expiry and its running section's end by the clock."""
        due = self.timer.overdue_at(network_grace)
        if self.sections is None or self.is_final:
            return due
        section_due = self.sections.overdue_at(self.timer, network_grace)
        if section_due is None or (due is not None and due <= section_due):
            return due
        return section_due

    def section_overdue(self, now: datetime, network_grace: timedelta = ZERO) -> bool:
        """The running section's clock ran out (network grace included): the sweeper finishes it."""
        if self.sections is None or self.is_final:
            return False
        section_due = self.sections.overdue_at(self.timer, network_grace)
        return section_due is not None and now >= section_due

    def finish_section(
        self, exam: Exam, section_id: str, *, now: datetime, network_grace: timedelta
    ) -> AttemptResult | None:
        """The candidate finishes the running section: the next one starts now. Finishing
        the last one is a submit (its result is returned)."""
        progress = self._progress()
        last = progress.is_last
        if not last:  # the last one's finish is a submit, which has its own grace
            self._ensure_accepts_answers(now, network_grace)
        self.sections = progress.finished(section_id, now)
        self._record_section_finished(section_id, now, by="candidate")
        return self.submit(exam, now) if last else None

    def move_on(self, *, now: datetime, network_grace: timedelta) -> str:
        """Leave the current question of a sequential section for the next (the one left
        is locked from now); the question now current. The last question is left by
        finishing the section."""
        progress = self._progress()
        self._ensure_accepts_answers(now, network_grace)
        current = progress.current
        assert current is not None  # an attempt in progress runs a section
        left = current.question_ids[current.position]
        moved, now_current = progress.moved_on(now)
        if now_current is None:
            raise SectionNotActive(
                f"question {left!r} is the last of section {current.id!r}: finish the section"
            )
        self.sections = moved
        moved_data = {"section_id": current.id, "left": left, "question_id": now_current}
        self._record(EventKind.MOVED_ON, now, moved_data)
        return now_current

    def finish_overdue_section(
        self, exam: Exam, now: datetime, network_grace: timedelta = ZERO
    ) -> AttemptResult | None:
        """The sweeper finishes a section whose clock ran out; the last one ending so
        expires the attempt with its saved answers scored (returned)."""
        if not self.section_overdue(now, network_grace):
            raise ValueError("only a section whose time ran out is finished by the clock")
        progress = self._progress()
        current = progress.current
        assert current is not None
        ended = current.deadline_at(self.timer, now)
        last = progress.is_last
        self.sections = progress.finished(current.id, now)
        self._record_section_finished(current.id, now, by="clock", deadline=ended.isoformat())
        if not last:
            return None
        time_taken = self.timer.time_used(ended)
        return self._finalise(AttemptStatus.EXPIRED, exam, now, ended, time_taken, None)

    def _progress(self) -> SectionProgress:
        self._ensure_not_final()
        if self.sections is None:
            raise UnknownQuestion("this exam has no sections")
        if self.timer.is_paused:
            raise AttemptPaused()
        return self.sections

    def _record_section_finished(self, section_id: str, now: datetime, **data: object) -> None:
        assert self.sections is not None
        current = self.sections.current
        following = None if current is None else current.id
        self._record(EventKind.SECTION_FINISHED, now,
                     {"section_id": section_id, "next_section_id": following, **data})  # fmt: skip

    def _ensure_question_open(
        self, question_id: str, now: datetime, network_grace: timedelta
    ) -> None:
        if self.sections is not None:
            self.sections.ensure_answerable(question_id, self.timer, now, network_grace)

    def given_questions(self) -> tuple[str, ...] | None:
        """The questions this attempt is scored out of when its sections drew some."""
        return None if self.sections is None else self.sections.question_ids()

    def was_given(self, question_id: str) -> bool:
        """Whether this attempt had the question (a drawn section may have left it out)."""
        given = self.given_questions()
        return given is None or question_id in given

    def save_answer(
        self,
        question: Question,
        option: JsonValue,
        *,
        now: datetime,
        network_grace: timedelta,
        expected_version: int | None = None,
    ) -> AnswerChange:
        """Decide and apply the change at once (the answer write decides here and applies
        in storage instead)."""
        change = self.answer_change(
            question,
            option,
            now=now,
            network_grace=network_grace,
            expected_version=expected_version,
        )
        return self.apply_answer(change)

    def clear_answer(
        self,
        question: Question,
        *,
        now: datetime,
        network_grace: timedelta,
        expected_version: int | None = None,
    ) -> AnswerChange:
        change = self.answer_change(
            question, None, now=now, network_grace=network_grace, expected_version=expected_version
        )
        return self.apply_answer(change)

    def apply_answer(self, change: AnswerChange) -> AnswerChange:
        """Apply an accepted change; the change as recorded, late-marked against this
        attempt's own deadline (storage does the same against the deadline it holds)."""
        if change.response is None:
            self.answers.pop(change.question_id, None)
        else:
            self.answers[change.question_id] = change.response
        return replace(change, event=self._record_applied(change.event))

    def record_response(
        self,
        item_id: str,
        option: str,
        *,
        administered: Question | None,
        now: datetime,
        network_grace: timedelta,
        expected_version: int | None = None,
    ) -> ResponseChange:
        """Decide and apply a response at once (see `response_change`)."""
        change = self.response_change(
            item_id,
            option,
            administered=administered,
            now=now,
            network_grace=network_grace,
            expected_version=expected_version,
        )
        return self.apply_response(change)

    def apply_response(self, change: ResponseChange) -> ResponseChange:
        """Apply an accepted response: appended, and set as the item's answer for scoring."""
        response = change.response
        self.responses = (*self.responses, response)
        self.answers[response.item_id] = response.option
        return replace(change, event=self._record_applied(change.event))

    def _ensure_version(self, expected_version: int | None) -> None:
        if expected_version is not None and expected_version != self.version:
            raise VersionConflict(self.version)

    def _record_applied(self, proposed: AttemptEvent) -> AttemptEvent:
        data = dict(proposed.data)
        section_ends = None if self.sections is None else self.sections.stored_deadline(self.timer)
        # Late: past the attempt's deadline or the running section's (as the SQL write).
        if self.timer.is_late_answer(proposed.at) or (
            section_ends is not None and proposed.at >= section_ends
        ):
            data["late"] = True
        return self._record(proposed.kind, proposed.at, data)

    def submit(
        self, exam: Exam, now: datetime, ability: AbilityEstimate | None = None
    ) -> AttemptResult:
        """The candidate finishes. Idempotent: a final attempt returns its result unchanged.

        Past deadline + grace the attempt is finalised as expired instead; callers tell the
        two apart by `status`. `ability` is an adaptive attempt's estimate, for its result.
        """
        if self.result is not None:
            return self.result
        if self.timer.is_paused:
            raise AttemptPaused()
        if not self.timer.accepts_submission(now):
            return self._finalise_expired(exam, now, ability)
        time_taken = self.timer.time_used(now)
        return self._finalise(AttemptStatus.SUBMITTED, exam, now, now, time_taken, ability)

    def expire(
        self,
        exam: Exam,
        now: datetime,
        network_grace: timedelta = ZERO,
        ability: AbilityEstimate | None = None,
    ) -> AttemptResult:
        """Finalise an overdue attempt with every saved answer scored."""
        if self.result is not None:
            return self.result
        if not self.timer.is_overdue(now, network_grace):
            raise ValueError("only an overdue attempt can expire")
        if self.timer.paused_at is not None:
            # Paused past the exam window: the pause ends where the window did.
            closed = self.timer.closes_at or now
            self.timer = self.timer.resume(max(self.timer.paused_at, min(now, closed)))
        return self._finalise_expired(exam, now, ability)

    def _finalise_expired(
        self, exam: Exam, now: datetime, ability: AbilityEstimate | None
    ) -> AttemptResult:
        deadline = self.timer.deadline
        full_time = self.timer.full_time
        return self._finalise(AttemptStatus.EXPIRED, exam, now, deadline, full_time, ability)

    def _finalise(
        self,
        status: AttemptStatus,
        exam: Exam,
        now: datetime,
        finished_at: datetime,
        time_taken: timedelta,
        ability: AbilityEstimate | None,
        **details: object,
    ) -> AttemptResult:
        score = exam.score(self.answers, self.awarded_points(), self.given_questions())
        if self.sections is not None:
            self.sections = self.sections.closed(now)
        self.status = status
        self.result = AttemptResult(
            status=status,
            score=score.score,
            max_score=score.max_score,
            answered=score.answered,
            correct=score.correct,
            finished_at=finished_at,
            time_taken_seconds=time_taken.total_seconds(),
            theta=None if ability is None else ability.theta,
            se=None if ability is None else ability.se,
            pending_points=score.pending_points,
            stop_reason=adaptive_stop_reason(ability, status),
            classification=None if ability is None else ability.classification,
        )
        kind = _FINAL_EVENTS[status]
        self._record(kind, now, {"score": score.score, "max_score": score.max_score, **details})
        return self.result

    def awarded_points(self) -> dict[str, Fraction]:
        return {qid: awarded.points for qid, awarded in self.awarded.items()}

    def award(
        self, exam: Exam, question: Question, awarded: AwardedScore, *, now: datetime
    ) -> AttemptResult:
        """A scorer marks an essay or external answer of this final attempt.

        What the candidate answered never changes; the result is recomputed, and the score
        that leaves nothing pending also records `attempt_rescored`.
        """
        if self.result is None:
            raise AttemptNotFinal()
        awarded.check_against(question)
        if question.id not in self.answers:
            raise ScoreRefused(f"question {question.id!r} was not answered: it scores nothing")
        was_scored = self.result.scored
        self.awarded[question.id] = awarded
        score = exam.score(self.answers, self.awarded_points(), self.given_questions())
        self.result = replace(
            self.result,
            score=score.score,
            max_score=score.max_score,
            answered=score.answered,
            correct=score.correct,
            pending_points=score.pending_points,
        )
        self._record(EventKind.QUESTION_SCORED, now, awarded.event_data(question.id))
        if self.result.scored and not was_scored:
            self._record(
                EventKind.ATTEMPT_RESCORED,
                now,
                {"score": score.score, "max_score": score.max_score},
            )
        return self.result

    def rescore_for(
        self, question_id: str, exam: Exam, *, now: datetime, details: Mapping[str, object]
    ) -> bool:
        """A regrade of `question_id`: rescored (True) if this attempt was given it; one
        whose sections never drew it keeps its result and records nothing (False)."""
        if not self.was_given(question_id):
            return False
        self.rescore(exam, now=now, details=details)
        return True

    def rescore(self, exam: Exam, *, now: datetime, details: Mapping[str, object]) -> AttemptResult:
        """Score this final attempt again against `exam` (a regrade), recording
        `attempt_rescored` with the score before and after and the regrade's `details`."""
        if self.result is None:
            raise AttemptNotFinal()
        before = self.result.score
        score = exam.score(self.answers, self.awarded_points(), self.given_questions())
        self.result = replace(
            self.result,
            score=score.score,
            max_score=score.max_score,
            answered=score.answered,
            correct=score.correct,
            pending_points=score.pending_points,
        )
        self._record(
            EventKind.ATTEMPT_RESCORED,
            now,
            {"previous_score": before, "score": score.score, "max_score": score.max_score,
             **details},
        )  # fmt: skip
        return self.result

    def terminate(
        self, exam: Exam, *, reason: str, now: datetime, ability: AbilityEstimate | None = None
    ) -> AttemptResult:
        """An admin ends the attempt now; it is scored like a submit, whatever its time."""
        self._ensure_not_final()
        if self.timer.paused_at is not None:
            self.timer = self.timer.resume(now)  # the time spent paused is not working time
        time_taken = self.timer.time_used(now)
        finished_at = min(now, self.timer.deadline)
        return self._finalise(
            AttemptStatus.TERMINATED, exam, now, finished_at, time_taken, ability, reason=reason
        )

    def reopen(self, for_time: timedelta, *, reason: str, now: datetime) -> None:
        """An admin reopens a final attempt: in progress again until now + `for_time`, its
        answers kept. The exam window no longer caps it (the admin chose the deadline); the
        earlier result stays in the audit trail, in this event and the final one before it."""
        if not self.is_final:
            raise AttemptNotFinal()
        if not ZERO < for_time <= MAX_EXTENSION:
            raise InvalidExtension("a reopened attempt needs more than 0 s and at most 7 days")
        self.timer = self.timer.running_until(now + for_time)
        if self.sections is not None:
            self.sections = self.sections.reopened(now)
        earlier = self.result
        assert earlier is not None  # a final attempt has its result
        self.status = AttemptStatus.IN_PROGRESS
        self.result = None
        self._record_deadline(
            EventKind.REOPENED,
            now,
            seconds=for_time.total_seconds(),
            reason=reason,
            previous_status=earlier.status.value,
            previous_score=earlier.score,
            previous_max_score=earlier.max_score,
        )

    def extend(self, by: timedelta, *, reason: str, now: datetime) -> None:
        self._ensure_not_final()
        if not reason.strip():
            raise InvalidExtension("an extension needs a reason")
        # Time taken away is clamped at now: the trail says how much was really taken.
        taken = {"applied_seconds": -self.timer.time_taken_away(by, now).total_seconds()}
        before = self.timer
        self.timer = self.timer.extend(by, now)
        if self.sections is not None:
            # The running timed section moves by what the attempt's deadline really moved.
            self.sections = self.sections.shifted(
                self.timer.deadline - before.deadline, before, now
            )
        self._record_deadline(
            EventKind.TIME_EXTENDED,
            now,
            seconds=by.total_seconds(),
            reason=reason,
            **(taken if by < ZERO else {}),
        )

    def accommodate(
        self, *, time_multiplier: float, extra_time: timedelta, reason: str, now: datetime
    ) -> None:
        self._ensure_not_final()
        accommodated = self.timer.accommodate(
            time_multiplier=time_multiplier, extra_time=extra_time
        )
        if accommodated.deadline < self.timer.deadline:
            # A candidate must never lose time already counted on (or already spent).
            raise InvalidAccommodation("a smaller accommodation applies to later attempts only")
        self.timer = accommodated
        self._record_deadline(
            EventKind.ACCOMMODATED,
            now,
            time_multiplier=time_multiplier,
            extra_seconds=extra_time.total_seconds(),
            reason=reason,
        )

    def pause(self, *, reason: str, now: datetime) -> None:
        self._ensure_not_final()
        self.timer = self.timer.pause(now)
        self._record(EventKind.PAUSED, now, {"reason": reason})

    def unpause(self, now: datetime) -> None:
        self._ensure_not_final()
        if self.sections is not None and self.timer.is_paused:
            self.sections = self.sections.resumed(self.timer, now)  # its clock stood still too
        self.timer = self.timer.resume(now)
        self._record_deadline(EventKind.UNPAUSED, now)

    def record_resumed(self, now: datetime) -> None:
        """The candidate came back to an attempt in progress (audited, not a change)."""
        self.pending_events.append(
            AttemptEvent(kind=EventKind.RESUMED, at=now, version=self.version)
        )

    def _ensure_not_final(self) -> None:
        if self.is_final:
            raise AttemptAlreadyFinal()

    def _record_deadline(self, kind: EventKind, now: datetime, **data: object) -> None:
        self._record(kind, now, {**data, "deadline": self.timer.deadline.isoformat()})

    def _record(self, kind: EventKind, now: datetime, data: Mapping[str, object]) -> AttemptEvent:
        if kind is not EventKind.STARTED:
            self.version += 1
        event = AttemptEvent(kind=kind, at=now, version=self.version, data=dict(data))
        self.pending_events.append(event)
        return event

    def with_version(self, version: int) -> Attempt:
        """The same attempt as storage reports it after a concurrent-safe write."""
        return replace(self, version=version, pending_events=[])


_FINAL_EVENTS = {
    AttemptStatus.SUBMITTED: EventKind.SUBMITTED,
    AttemptStatus.EXPIRED: EventKind.EXPIRED,
    AttemptStatus.TERMINATED: EventKind.TERMINATED,
}
