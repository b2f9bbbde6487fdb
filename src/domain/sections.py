"""Sections: an exam in parts that run in order, each with an optional clock of its own.

An exam's `Section` is what the author wrote; an attempt's `SectionRun` is that section as
one candidate sits it: its questions (drawn and shuffled for the attempt), its status and
its clock. A section's clock is a second clock inside the attempt's, with the same rules:

    section deadline = min(entered_at + duration × time_multiplier + shift, attempt deadline)

`shift` is what moved it since the candidate entered: time spent paused (a pause freezes
it as it freezes the attempt's) and extensions given while it ran (an extension moves the
attempt's deadline and the running section's by the same amount). Accommodations multiply
the duration through the attempt's multiplier. No clock is read here: `now` comes in.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from hashlib import sha256
from uuid import UUID

from domain.errors import (
    InvalidExamDefinition,
    QuestionLocked,
    SectionNotActive,
    UnknownQuestion,
)
from domain.timer import ZERO, Timer


class Navigation(StrEnum):
    FREE = "free"
    SEQUENTIAL = "sequential"


class SectionStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A section of an exam: `question_ids` are its questions, or with `draw_count` the
    pool each attempt draws that many from."""

    id: str
    question_ids: tuple[str, ...]
    title: str | None = None
    duration: timedelta | None = None
    navigation: Navigation = Navigation.FREE
    draw_count: int | None = None
    shuffle_questions: bool = False

    def __post_init__(self) -> None:
        where = f"section {self.id!r}"
        if not self.id:
            raise InvalidExamDefinition("a section needs a non-empty id")
        if not self.question_ids:
            raise InvalidExamDefinition(f"{where} needs at least one question")
        if len(set(self.question_ids)) != len(self.question_ids):
            raise InvalidExamDefinition(f"{where} lists a question twice")
        if self.duration is not None and self.duration <= ZERO:
            raise InvalidExamDefinition(f"{where}: duration_seconds must be positive")
        if self.draw_count is not None and not 1 <= self.draw_count <= len(self.question_ids):
            raise InvalidExamDefinition(f"{where}: draw.count must be between 1 and the pool")

    def form(self, attempt_id: UUID) -> tuple[str, ...]:
        """This section's questions for one attempt, in its order: the same on every call
        (seeded by the attempt id), a different draw and order for another attempt."""
        chosen = list(self.question_ids)
        rng = random.Random(_seed(attempt_id, self.id))
        if self.draw_count is not None:
            chosen = rng.sample(chosen, self.draw_count)
            if not self.shuffle_questions:
                order = {qid: index for index, qid in enumerate(self.question_ids)}
                chosen.sort(key=order.__getitem__)
        elif self.shuffle_questions:
            rng.shuffle(chosen)
        return tuple(chosen)


def check_sections(sections: tuple[Section, ...], question_ids: Iterable[str]) -> None:
    """Every question of the exam in exactly one section, every section's id unique."""
    if not sections:
        return
    if len({section.id for section in sections}) != len(sections):
        raise InvalidExamDefinition("section ids must be unique within an exam")
    known = set(question_ids)
    placed: set[str] = set()
    for section in sections:
        for qid in section.question_ids:
            if qid not in known:
                raise InvalidExamDefinition(f"section {section.id!r}: no question {qid!r}")
            if qid in placed:
                raise InvalidExamDefinition(f"question {qid!r} is in two sections")
            placed.add(qid)
    if missing := sorted(known - placed):
        raise InvalidExamDefinition(f"questions in no section: {', '.join(missing[:5])}")


def _seed(attempt_id: UUID, section_id: str) -> int:
    # A hash, not Python's hash(): that one changes between processes.
    digest = sha256(f"{attempt_id}/section/{section_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionRun:
    """One section as an attempt runs it. `position` is the current question's index in a
    sequential section (the ones before it are locked)."""

    id: str
    question_ids: tuple[str, ...]
    title: str | None = None
    duration: timedelta | None = None
    navigation: Navigation = Navigation.FREE
    status: SectionStatus = SectionStatus.PENDING
    entered_at: datetime | None = None
    finished_at: datetime | None = None
    shift: timedelta = ZERO
    position: int = 0

    @property
    def is_timed(self) -> bool:
        return self.duration is not None

    def own_deadline(self, timer: Timer) -> datetime | None:
        """Its clock's end as of the last pause or resume, before the attempt's caps it
        (None: untimed, or not entered)."""
        if self.duration is None or self.entered_at is None:
            return None
        return self.entered_at + self.duration * timer.time_multiplier + self.shift

    def deadline_at(self, timer: Timer, now: datetime) -> datetime:
        """The section's deadline seen at `now`: never past the attempt's; a running pause
        pushes it back as it pushes the attempt's."""
        own = self.own_deadline(timer)
        attempt_deadline = timer.deadline_at(now)
        if own is None:
            return attempt_deadline
        if timer.paused_at is not None and self.entered_at is not None:
            own += now - max(timer.paused_at, self.entered_at)
        return min(own, attempt_deadline)

    def remaining(self, timer: Timer, now: datetime) -> timedelta:
        return max(ZERO, self.deadline_at(timer, now) - now)

    def visible(self) -> tuple[str, ...]:
        """The questions the candidate sees: all of a free section's, a sequential one's up
        to the current question."""
        if self.navigation is Navigation.SEQUENTIAL:
            return self.question_ids[: self.position + 1]
        return self.question_ids

    def answerable(self) -> tuple[str, ...]:
        if self.status is not SectionStatus.ACTIVE:
            return ()
        if self.navigation is Navigation.SEQUENTIAL:
            return self.question_ids[self.position : self.position + 1]
        return self.question_ids


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionProgress:
    """An attempt's sections in order; exactly one is active while the attempt runs."""

    runs: tuple[SectionRun, ...]

    @classmethod
    def begin(
        cls, sections: tuple[Section, ...], attempt_id: UUID, now: datetime
    ) -> SectionProgress:
        runs = tuple(
            SectionRun(
                id=section.id,
                question_ids=section.form(attempt_id),
                title=section.title,
                duration=section.duration,
                navigation=section.navigation,
            )
            for section in sections
        )
        first = replace(runs[0], status=SectionStatus.ACTIVE, entered_at=now)
        return cls(runs=(first, *runs[1:]))

    # --- reading ---------------------------------------------------------------------

    @property
    def current_index(self) -> int | None:
        for index, run in enumerate(self.runs):
            if run.status is SectionStatus.ACTIVE:
                return index
        return None

    @property
    def current(self) -> SectionRun | None:
        index = self.current_index
        return None if index is None else self.runs[index]

    def question_ids(self) -> tuple[str, ...]:
        """Every question this attempt was given (what it is scored out of)."""
        return tuple(qid for run in self.runs for qid in run.question_ids)

    def section_of(self, question_id: str) -> SectionRun:
        for run in self.runs:
            if question_id in run.question_ids:
                return run
        raise UnknownQuestion(f"question {question_id!r} is not part of this attempt")

    def open_questions(self) -> tuple[str, ...]:
        """The questions that take answers now (what the conditional write checks)."""
        current = self.current
        return () if current is None else current.answerable()

    def stored_deadline(self, timer: Timer) -> datetime | None:
        """The running section's deadline where it ends before the attempt's, as of the
        last pause or resume; None when the attempt's deadline is the one that applies
        (what PostgreSQL keeps, for the conditional write and the sweeper)."""
        current = self.current
        own = None if current is None else current.own_deadline(timer)
        return own if own is not None and own < timer.deadline else None

    def overdue_at(self, timer: Timer, network_grace: timedelta) -> datetime | None:
        """When the sweeper must finish the running section by its clock: never while the
        attempt is paused (its clock is frozen), never when the attempt's deadline is the
        one that applies (the attempt's expiry handles it)."""
        deadline = self.stored_deadline(timer)
        if deadline is None or timer.is_paused:
            return None
        return deadline + network_grace

    def ensure_answerable(
        self, question_id: str, timer: Timer, now: datetime, network_grace: timedelta
    ) -> None:
        run = self.section_of(question_id)
        if run.status is SectionStatus.PENDING:
            raise SectionNotActive(f"section {run.id!r} has not started yet")
        if run.status is SectionStatus.DONE:
            raise SectionNotActive(f"section {run.id!r} is finished")
        deadline = self.stored_deadline(timer)
        if deadline is not None and now >= deadline + network_grace:
            raise SectionNotActive(f"section {run.id!r}: its time is up")
        if question_id not in run.answerable():
            raise QuestionLocked(f"question {question_id!r} is locked in section {run.id!r}")

    # --- changing --------------------------------------------------------------------

    def finished(self, section_id: str, now: datetime) -> SectionProgress:
        """The running section done and the next one (if any) running from `now`."""
        index = self._active(section_id)
        return self._finish_at(index, now)

    def moved_on(self, now: datetime) -> tuple[SectionProgress, str | None]:
        """A sequential section's next question (the one left is locked from now); past
        its last question the section is finished. Returns the question now current."""
        index = self._active(None)
        run = self.runs[index]
        if run.navigation is not Navigation.SEQUENTIAL:
            raise SectionNotActive(f"section {run.id!r} is free: there is no next question")
        if run.position + 1 < len(run.question_ids):
            moved = replace(run, position=run.position + 1)
            return self._with(index, moved), moved.question_ids[moved.position]
        return self._finish_at(index, now), None

    def shifted(self, by: timedelta, timer: Timer, now: datetime) -> SectionProgress:
        """Move the running timed section's deadline by `by` (an extension, a resume's
        paused time), never before `now`."""
        index = self.current_index
        if index is None or not self.runs[index].is_timed:
            return self
        run = self.runs[index]
        if by < ZERO:
            by = max(by, -run.remaining(timer, now))
        return self._with(index, replace(run, shift=run.shift + by))

    def resumed(self, timer: Timer, now: datetime) -> SectionProgress:
        """After a pause of the attempt (`timer` still paused): the running section's clock
        moves by the time it stood still."""
        index = self.current_index
        if index is None or timer.paused_at is None:
            return self
        run = self.runs[index]
        entered = run.entered_at or timer.paused_at
        frozen = now - max(timer.paused_at, entered)
        return self._with(index, replace(run, shift=run.shift + frozen))

    def closed(self, now: datetime) -> SectionProgress:
        """The attempt is final: the running section is done with it."""
        index = self.current_index
        if index is None:
            return self
        run = self.runs[index]
        return self._with(index, replace(run, status=SectionStatus.DONE, finished_at=now))

    def reopened(self, now: datetime) -> SectionProgress:
        """An admin reopened the final attempt: its last section runs again, untimed (the
        attempt's new deadline is the one the admin chose)."""
        last = replace(self.runs[-1], status=SectionStatus.ACTIVE, entered_at=now,
                       finished_at=None, duration=None, shift=ZERO)  # fmt: skip
        return self._with(len(self.runs) - 1, last)

    @property
    def is_last(self) -> bool:
        return self.current_index == len(self.runs) - 1

    def _active(self, section_id: str | None) -> int:
        index = self.current_index
        if section_id is not None and all(run.id != section_id for run in self.runs):
            raise UnknownQuestion(f"section {section_id!r} is not part of this exam")
        if index is None or (section_id is not None and self.runs[index].id != section_id):
            raise SectionNotActive(f"section {section_id!r} is not the one in progress")
        return index

    def _finish_at(self, index: int, now: datetime) -> SectionProgress:
        done = replace(self.runs[index], status=SectionStatus.DONE, finished_at=now)
        progress = self._with(index, done)
        if index + 1 < len(self.runs):
            following = replace(self.runs[index + 1], status=SectionStatus.ACTIVE, entered_at=now)
            progress = progress._with(index + 1, following)
        return progress

    def _with(self, index: int, run: SectionRun) -> SectionProgress:
        return SectionProgress(runs=(*self.runs[:index], run, *self.runs[index + 1 :]))
