"""An attempt's standing (status, timer, version) and the rules that decide a change."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from uuid import UUID

from domain.errors import (
    AttemptAlreadyFinal,
    AttemptAlreadySubmitted,
    AttemptPaused,
    ItemNotAdministered,
    TimeIsUp,
    WrongExamMode,
)
from domain.events import AttemptEvent, EventKind
from domain.exam import ExamMode, Question
from domain.questions import JsonValue, QuestionType
from domain.responses import Response, ResponseChange
from domain.result import AttemptResult, AttemptStatus
from domain.timer import ZERO, Timer


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerChange:
    """One accepted change to the answer sheet, as storage must apply it.

    `response` None clears the answer; otherwise it is the response as the question's type
    accepted it (an option key, a list of keys, a number, text, any JSON).
    `expected_version` is the client's, when it sent one: storage applies the change only
    if the attempt is still at that version. The event carries no late mark: whoever
    applies the change decides it against the deadline of record (`Attempt.apply_answer`,
    or the SQL write).
    """

    attempt_id: UUID
    question_id: str
    response: JsonValue | None
    expected_version: int | None
    event: AttemptEvent


@dataclass(slots=True, kw_only=True, eq=False)
class LiveAttempt:
    """Where an attempt stands: status, timer and version, without its answers.

    A fast copy (hot state) gives only this, so it cannot be scored or finalised; it can
    judge whether a change is allowed. Its version lags the saves (hot state is not
    rewritten on each), so it leaves the version check to storage; `Attempt`, read from
    the durable store, checks the version itself.
    """

    id: UUID
    exam_id: UUID
    candidate_id: str
    mode: ExamMode
    timer: Timer
    status: AttemptStatus = AttemptStatus.IN_PROGRESS
    version: int = 0
    result: AttemptResult | None = None

    @property
    def is_final(self) -> bool:
        return self.status is not AttemptStatus.IN_PROGRESS

    def is_overdue(self, now: datetime, network_grace: timedelta = ZERO) -> bool:
        return not self.is_final and self.timer.is_overdue(now, network_grace)

    def due_at(self, network_grace: timedelta = ZERO) -> datetime | None:
        """When the sweeper must act on this attempt (the deadline index's time): the
        attempt's expiry; `Attempt` adds its running section's clock."""
        return self.timer.overdue_at(network_grace)

    def with_version(self, version: int) -> LiveAttempt:
        """The same attempt as storage reports it after a concurrent-safe write."""
        return replace(self, version=version)

    def live(self) -> LiveAttempt:
        """This attempt's standing alone, in a copy of its own: what a live read gives,
        without what a subclass adds (an `Attempt`'s answers, responses and events)."""
        return LiveAttempt(**{name: getattr(self, name) for name in _STANDING})

    def answer_change(
        self,
        question: Question,
        response: JsonValue | None,
        *,
        now: datetime,
        network_grace: timedelta,
        expected_version: int | None = None,
    ) -> AnswerChange:
        """The change saving `response` (None clears) would make; nothing is changed here.

        The question's type judges the response first: a malformed one changes nothing.
        """
        if response is not None:
            response = question.accept_response(response)
        self._ensure_accepts_answers(now, network_grace)
        self._ensure_version(expected_version)
        self._ensure_question_open(question.id, now, network_grace)
        data: dict[str, object] = {"question_id": question.id}
        if response is not None:
            # Single choice keeps the event's `option`, which readers of the trail know.
            data["option" if question.type is QuestionType.SINGLE else "response"] = response
        kind = EventKind.ANSWER_CLEARED if response is None else EventKind.ANSWER_SAVED
        return AnswerChange(
            attempt_id=self.id,
            question_id=question.id,
            response=response,
            expected_version=expected_version,
            event=AttemptEvent(kind=kind, at=now, version=self.version + 1, data=data),
        )

    def response_change(
        self,
        item_id: str,
        option: str,
        *,
        administered: Question | None,
        now: datetime,
        network_grace: timedelta,
        expected_version: int | None = None,
    ) -> ResponseChange:
        """The response to `administered`, the item the adaptive test gives now (None once
        it has stopped): the same time, pause and version rules as answers."""
        self._ensure_adaptive()
        self._ensure_accepts_answers(now, network_grace)
        self._ensure_version(expected_version)
        if administered is None:
            raise ItemNotAdministered("the adaptive test has ended: no item is administered")
        if administered.id != item_id:
            raise ItemNotAdministered(f"item {item_id!r} is not the one currently administered")
        administered.require_option(option)
        response = Response(
            item_id=item_id, option=option, correct=administered.is_right_option(option)
        )
        data: dict[str, object] = {
            "item_id": item_id,
            "option": option,
            "correct": response.correct,
        }
        event = AttemptEvent(
            kind=EventKind.RESPONSE_RECORDED, at=now, version=self.version + 1, data=data
        )
        return ResponseChange(
            attempt_id=self.id, response=response, expected_version=expected_version, event=event
        )

    def ensure_serves_items(self, now: datetime, network_grace: timedelta) -> None:
        """An adaptive attempt may be shown its next item: in progress and in time.

        A paused attempt may still show its item (the candidate cannot answer it).
        """
        self._ensure_adaptive()
        if self.status is AttemptStatus.SUBMITTED:
            raise AttemptAlreadySubmitted()
        if self.status is AttemptStatus.EXPIRED:
            raise TimeIsUp(result=self.result)
        if self.status is AttemptStatus.TERMINATED:
            raise AttemptAlreadyFinal("the attempt was terminated")
        if not self.timer.accepts_answers(now, network_grace):
            raise TimeIsUp()

    def _ensure_version(self, expected_version: int | None) -> None:
        """Nothing to check on a live copy: its version lags saves, and storage checks it."""

    def _ensure_question_open(
        self, question_id: str, now: datetime, network_grace: timedelta
    ) -> None:
        """Nothing to check on a live copy: it holds no sections, and storage checks them
        (the conditional write refuses a question outside the running section)."""

    def _ensure_adaptive(self) -> None:
        if self.mode is not ExamMode.ADAPTIVE:
            raise WrongExamMode("a fixed-form attempt takes answers, not responses")

    def _ensure_accepts_answers(self, now: datetime, network_grace: timedelta) -> None:
        if self.status is AttemptStatus.SUBMITTED:
            raise AttemptAlreadySubmitted()
        if self.status is AttemptStatus.EXPIRED:
            raise TimeIsUp(result=self.result)
        if self.status is AttemptStatus.TERMINATED:
            raise AttemptAlreadyFinal("the attempt was terminated")
        if self.timer.is_paused:
            raise AttemptPaused()
        if not self.timer.accepts_answers(now, network_grace):
            raise TimeIsUp()


# Every field of the standing, so `live` copies whatever fields it gains.
_STANDING = tuple(field.name for field in fields(LiveAttempt))
